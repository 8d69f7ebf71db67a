#include "cleanroom/pipeline/run_in_snapshot.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/runnable_snapshot.h"

namespace cleanroom::build {

namespace {

std::uint64_t parse_limit(const std::string& text, const std::string& option) {
  if (text == "unlimited" || text == "infinity") return sandbox::kRlimitInfinity;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    throw_input(fmt::format("--rlimit '{}': '{}' is not a number", option, text));
  return v;
}

void apply_rlimit(std::vector<sandbox::Rlimit>& limits, const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos) throw_input(fmt::format("--rlimit '{}': expected NAME=SOFT[:HARD]", text));
  sandbox::Rlimit r;
  r.name = text.substr(0, eq);
  if (sandbox::rlimit_resource(r.name) < 0)
    throw_input(fmt::format("--rlimit '{}': unknown limit '{}' (nofile, nproc, fsize, core, as, cpu, stack)",
                            text, r.name));
  std::string values = text.substr(eq + 1);
  auto colon = values.find(':');
  r.soft = parse_limit(values.substr(0, colon), text);
  r.hard = colon == std::string::npos ? r.soft : parse_limit(values.substr(colon + 1), text);
  std::erase_if(limits, [&](const sandbox::Rlimit& l) { return l.name == r.name; });
  limits.push_back(r);
}

}  // namespace

int run_in_snapshot(const RunOptions& options) {
  sandbox::SandboxOptions sb;
  for (const auto& bind : options.binds) sb.mounts.binds.push_back(sandbox::parse_bind(bind));
  sb.mounts.workdir = options.workdir;
  sb.argv = options.argv;
  sb.extra_env = options.env;
  sb.hostname = options.hostname;
  sb.domainname = options.domainname;
  sb.timeout_seconds = options.timeout_seconds;
  sb.network = options.network;
  for (const auto& r : options.rlimits) apply_rlimit(sb.rlimits, r);
  if (!options.drop_all_caps) sb.keep_caps = sandbox::root_capabilities();
  // Validate everything the user gave before touching the store or the kernel.
  std::string helper = sandbox::find_helper();

  store::Store store(store::default_store_path(options.store_path));
  store::SnapshotInfo snapshot = use_runnable_snapshot(store, options.snapshot);
  store::IdMap ids = store.id_map();
  sb.mounts.lower_dirs = {snapshot.root_dir};
  sb.arch = snapshot.arch;
  sb.ids = {ids.host_uid_base, ids.host_gid_base, ids.count};

  bool interactive = ::isatty(STDIN_FILENO) == 1;
  const char* term = std::getenv("TERM");
  sandbox::Spec spec = with_context(fmt::format("snapshot '{}'", options.snapshot), [&] {
    return sandbox::make_spec(sb, interactive, term ? term : "");
  });
  log::debug(fmt::format("sandbox mounts:\n{}", sandbox::describe_mounts(spec.mounts)));
  sandbox::RunResult result = sandbox::run_spec(spec, helper);
  if (result.timed_out)
    log::error(fmt::format("timed out after {} s: killed every process in the sandbox",
                           options.timeout_seconds));
  return result.exit_code;
}

}  // namespace cleanroom::build
