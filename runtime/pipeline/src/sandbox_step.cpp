#include "cleanroom/pipeline/sandbox_step.h"

#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/sandbox/sandbox.h"

namespace cleanroom::build {

void hand_to_sandbox_root(const store::IdMap& ids, const std::string& path) {
  if (::geteuid() != 0) return;
  if (::lchown(path.c_str(), ids.host_uid_base, ids.host_gid_base) != 0)
    throw_errno(fmt::format("chown '{}'", path));
}

void hand_tree_to_sandbox_root(const store::IdMap& ids, const std::string& path) {
  if (::geteuid() != 0) return;
  auto r = run_process({.argv = {"chown", "-R", "-h",
                                 fmt::format("{}:{}", ids.host_uid_base, ids.host_gid_base),
                                 path}});
  if (r.status != 0) throw_failure(fmt::format("chown -R '{}' failed", path));
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

int run_sandbox_step(const store::IdMap& ids, const SandboxStep& step) {
  sandbox::SandboxOptions sb;
  sb.mounts.lower_dirs = step.lower_dirs;
  sb.mounts.upper_dir = step.upper_dir;
  sb.mounts.work_dir = step.work_dir;
  sb.mounts.binds = step.binds;
  sb.mounts.network = step.network;
  sb.mounts.workdir = step.workdir;
  sb.network = step.network;
  sb.arch = step.arch;
  sb.ids = {ids.host_uid_base, ids.host_gid_base, ids.count};
  const StepVariation& v = step.variation;
  sb.extra_env = step.env;
  for (auto& e : variation_environment(v)) sb.extra_env.push_back(std::move(e));
  sb.source_date_epoch = step.source_date_epoch;
  sb.hostname = v.hostname.empty() ? step.hostname : v.hostname;
  sb.domainname = v.domainname.empty() ? step.domainname : v.domainname;
  // The command's deadline, when it comes first, ends the step too.
  std::uint64_t left = seconds_until_deadline();
  sb.timeout_seconds = step.timeout_seconds;
  if (left != 0 && (sb.timeout_seconds == 0 || left < sb.timeout_seconds)) sb.timeout_seconds = left;
  sb.keep_caps = sandbox::root_capabilities();

  std::string script = v.prefix.empty() ? step.script
                                        : v.prefix + " bash -e -c " + shell_quote(step.script);
  std::string body = "set -e\n" + variation_preamble(v) + script;
  if (step.interactive) {
    sb.argv = {"bash", "-c", body};
  } else {
    // pipefail: the step's status, not tee's. The log is appended to, so the
    // steps of one build form one log.
    std::string sink = step.quiet ? " >/dev/null" : "";
    sb.argv = {"bash", "-c",
               fmt::format("set -o pipefail\n{{\n{}\n}} 2>&1 | tee -a {}{}", body,
                           shell_quote(step.log_inside), sink)};
  }
  const char* term = std::getenv("TERM");
  sandbox::Spec spec = sandbox::make_spec(sb, step.interactive, term ? term : "");
  log::debug(fmt::format("sandbox mounts:\n{}", sandbox::describe_mounts(spec.mounts)));
  sandbox::RunResult result = sandbox::run_spec(spec, sandbox::find_helper());
  if (result.timed_out) return 124;
  return result.exit_code;
}

}  // namespace cleanroom::build
