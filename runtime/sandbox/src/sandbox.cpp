// From what a caller asks for to a complete Spec: mount plan, id maps, seccomp
// program, environment and limits, all decided here so the helper only applies.
#include "cleanroom/sandbox/sandbox.h"

#include <linux/capability.h>
#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/sandbox/seccomp_policy.h"

namespace cleanroom::sandbox {

namespace {

std::uint64_t physical_memory() {
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

}  // namespace

// The size the kernel gives one tmpfs by default, here shared by all three.
std::uint64_t SandboxOptions::default_disk_limit() { return physical_memory() / 2; }

std::uint64_t SandboxOptions::default_memory_limit() { return physical_memory() / 4 * 3; }

std::vector<Rlimit> SandboxOptions::default_rlimits() {
  return {
      // Per process; with pids limited, a few thousand files each cannot
      // exhaust the host's file table.
      {"nofile", 4096, 4096},
      // Per user in the sandbox's user namespace: holds a fork bomb, not a
      // parallel build.
      {"nproc", 4096, 4096},
      {"fsize", kRlimitInfinity, kRlimitInfinity},
      // Core dumps would land in the build tree and differ from run to run.
      {"core", 0, 0},
  };
}

std::vector<int> root_capabilities() {
  return {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_KILL,
          CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
          CAP_AUDIT_WRITE, CAP_SETFCAP};
}

std::vector<std::string> sandbox_environment(const std::vector<std::string>& extra,
                                             std::optional<std::int64_t> source_date_epoch,
                                             const std::string& term) {
  std::vector<std::string> env{
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOME=/root",
      "LANG=C.UTF-8",
      "LC_ALL=C.UTF-8",
      "TZ=UTC",
  };
  if (!term.empty()) env.push_back("TERM=" + term);
  if (source_date_epoch) env.push_back(fmt::format("SOURCE_DATE_EPOCH={}", *source_date_epoch));
  for (const auto& kv : extra) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw_input(fmt::format("--env '{}': expected NAME=VALUE", kv));
    std::string prefix = kv.substr(0, eq + 1);
    std::erase_if(env, [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
    env.push_back(kv);
  }
  return env;
}

Spec make_spec(const SandboxOptions& options, bool interactive, const std::string& term) {
  Spec spec;
  IdMapPlan ids = plan_id_maps(options.ids, ::geteuid(), ::getegid(), host_user().root());
  spec.uid_map = ids.uid_map;
  spec.gid_map = ids.gid_map;
  spec.id_map_method = ids.method;

  MountRequest mounts = options.mounts;
  mounts.network = options.network;
  spec.mounts = plan_mounts(mounts);
  spec.workdir = mounts.workdir.empty() ? "/" : mounts.workdir;

  if (options.hostname.empty() || options.hostname.size() > 64)
    throw_input(fmt::format("hostname '{}' must have 1 to 64 characters", options.hostname));
  spec.hostname = options.hostname;
  if (options.domainname.size() > 64)
    throw_input(fmt::format("domain name '{}' is longer than 64 characters", options.domainname));
  spec.domainname = options.domainname;
  spec.argv = options.argv;
  if (spec.argv.empty()) {
    spec.argv = {"/bin/bash", "-l"};
  }
  spec.env = sandbox_environment(options.extra_env, options.source_date_epoch, interactive ? term : "");
  spec.rlimits = options.rlimits;
  for (const auto& r : spec.rlimits)
    if (rlimit_resource(r.name) < 0) throw_input(fmt::format("unknown resource limit '{}'", r.name));
  spec.timeout_seconds = options.timeout_seconds;
  spec.disk_limit_bytes = options.disk_limit_bytes;
  spec.memory_limit_bytes = options.memory_limit_bytes;
  spec.pids_limit = options.pids_limit;
  spec.network = options.network;
  spec.interactive = interactive;
  // What the sandbox writes into the caller's files outlives it: no setuid or
  // setgid files there (seccomp) and no file capabilities (no CAP_SETFCAP).
  bool callers_files_writable =
      std::any_of(options.mounts.binds.begin(), options.mounts.binds.end(),
                  [](const BindRequest& b) { return b.callers_files && !b.read_only; });
  spec.keep_caps = options.keep_caps;
  if (callers_files_writable) std::erase(spec.keep_caps, CAP_SETFCAP);
  spec.seccomp_bpf = compile_seccomp(SeccompPolicy{options.network, options.arch,
                                                   options.ids.count == 1, callers_files_writable});
  spec.linux32 = runs_as_linux32(options.arch);
  return spec;
}

}  // namespace cleanroom::sandbox
