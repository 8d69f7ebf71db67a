// What the helper tells the cleanroom process. Inside the helper, the sandbox
// child reports a failed setup step as a fixed record (step, errno) over a pipe,
// since it may not allocate; the helper then writes one status line to its
// status fd: "exit N", "timeout N", "setup STEP ERRNO MOUNT" or "exec ERRNO".
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::sandbox {

enum class SetupStep : std::int32_t {
  UserNamespace = 1, IdMaps, SetIds, Hostname, MakePrivate, BaseTmpfs, PivotBase,
  OverlayRoot, Proc, Tmpfs, Devpts, Bind, BindReadOnly, Symlink, MakeDir, Loopback,
  DetachOldRoot, PivotRoot, Rlimits, Workdir, Capabilities, NoNewPrivs, Seccomp, Exec,
  ParentDied, Personality, Cgroup, CgroupNamespace,
};

// pid 1's last record (its step field): the command exited with the code in
// err, and every other process of the sandbox has been killed and reaped.
inline constexpr std::int32_t kCommandExited = -1;

struct ChildError {
  std::int32_t step = 0;
  std::int32_t err = 0;
  std::int32_t mount = -1;  // index into Spec::mounts when a mount step failed
};

const char* step_name(SetupStep step);
// What to look at when a step fails with this errno (a sysctl, a kernel feature).
std::string step_hint(SetupStep step, int err);
// A mount point the caller asked for clashes with the snapshot's tree (a file
// where a directory must go): the caller's input, not the machine's fault.
bool is_path_conflict(SetupStep step, int err);

}  // namespace cleanroom::sandbox
