// Running one command in a sandbox: turn what the caller wants (lower dirs, binds,
// network or not, environment, limits) into a Spec, and hand that to the
// `cleanroom-sandbox` helper, which does the kernel work. Knows nothing of
// Debian or of the store: the root is a plain lower directory and an id range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/sandbox/id_map.h"
#include "cleanroom/sandbox/mount_plan.h"
#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox {

struct SandboxOptions {
  MountRequest mounts;
  HostIdRange ids;
  std::vector<std::string> argv;       // empty: an interactive login shell
  std::vector<std::string> extra_env;  // "K=V", after (and over) the defaults
  std::optional<std::int64_t> source_date_epoch;
  std::string hostname = "cleanroom";
  std::string domainname;  // "" : none set
  std::uint64_t timeout_seconds = 0;  // 0: none
  bool network = false;
  // The Debian architecture of the root's programs; "" the native one. i386
  // on amd64 admits the 32-bit ABI and runs the command as linux32.
  std::string arch;
  std::vector<Rlimit> rlimits = default_rlimits();
  std::vector<int> keep_caps;  // capabilities the command keeps; see root_capabilities()
  // See Spec; 0 turns one off. The defaults keep a runaway build from taking
  // the host down, and are documented in docs/security.md.
  std::uint64_t disk_limit_bytes = default_disk_limit();
  std::uint64_t memory_limit_bytes = default_memory_limit();
  std::uint64_t pids_limit = kDefaultPidsLimit;

  static std::vector<Rlimit> default_rlimits();
  static std::uint64_t default_disk_limit();    // half of the machine's memory
  static std::uint64_t default_memory_limit();  // three quarters of it
  static constexpr std::uint64_t kDefaultPidsLimit = 4096;
};

// What a root user in a chroot can do and a build may need (chown, setuid for
// apt's _apt user, overriding file modes); all of it confined to the sandbox's
// own user namespace. Never mknod, raw sockets, admin or module capabilities.
std::vector<int> root_capabilities();

// The cleared, allow-listed environment plus extra (K=V, later ones win).
// term is the host's TERM, passed only when the command gets a terminal.
std::vector<std::string> sandbox_environment(const std::vector<std::string>& extra,
                                             std::optional<std::int64_t> source_date_epoch,
                                             const std::string& term);

// Throws Error(Input) for bad options. interactive: stdin is a terminal.
Spec make_spec(const SandboxOptions& options, bool interactive, const std::string& term);

struct RunResult {
  int exit_code = 0;
  bool timed_out = false;
  bool command_not_found = false;
};

// The helper: $CLEANROOM_SANDBOX_HELPER, else next to the running executable.
std::string find_helper();

// Runs the spec to completion. SIGINT/SIGTERM/SIGHUP sent to this process are
// passed on to the sandbox. Throws Error(Environment) for a setup failure,
// naming the step and what to check.
RunResult run_spec(const Spec& spec, const std::string& helper);

}  // namespace cleanroom::sandbox
