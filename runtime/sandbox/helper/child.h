// The sandbox child, from clone(2) to exec(2). Everything here runs without
// allocating, throwing or logging: only system calls on data the helper
// prepared. A failure is sent to the helper as a ChildError record and the
// process ends with _exit.
#pragma once

#include "cleanroom/sandbox/protocol.h"
#include "prepared.h"

namespace cleanroom::sandbox::helper {

// Sends (step, errno) to the helper and ends the process.
[[noreturn]] void child_fail(int error_fd, SetupStep step, int err, int mount = -1);

// The cloned process: waits for the id maps, builds the root, becomes pid 1.
[[noreturn]] void run_child(const Prepared& prep, int go_fd, int error_fd);

// Mounts the plan under the staging tmpfs and pivots into it.
void build_root(const Prepared& prep, int error_fd);

// Drops every capability not in keep from all sets, the bounding set included.
bool drop_capabilities(std::uint64_t keep, int last_cap);

// In the command's process, which shares pid 1's memory until the exec:
// limits, caps, no_new_privs, seccomp, exec. Writes only to its own stack
// (and errno).
[[noreturn]] void exec_command(const Prepared& prep, int error_fd);

// pid 1's loop: reap everything, forward signals, exit like the command. The
// last record on error_fd says the command is done and nothing else runs.
[[noreturn]] void reap_until_exit(const Prepared& prep, pid_t command, int error_fd);

}  // namespace cleanroom::sandbox::helper
