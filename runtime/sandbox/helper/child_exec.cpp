// The last steps before the command runs, security-relevant. Order matters:
// limits and the working directory first, then capabilities (bounding set,
// ambient set, then the three process sets), then no_new_privs (so no setuid or
// file-capability binary can give anything back), and the seccomp filter last,
// because it refuses calls the earlier steps still needed.
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "child.h"

namespace cleanroom::sandbox::helper {

bool drop_capabilities(std::uint64_t keep, int last_cap) {
  for (int cap = 0; cap <= last_cap; ++cap) {
    if (keep & (std::uint64_t{1} << cap)) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return false;
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return false;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  for (int i = 0; i < 2; ++i) {
    auto word = static_cast<std::uint32_t>(keep >> (32 * i));
    data[i].effective = word;
    data[i].permitted = word;
    // Inheritable too: uid 0's exec keeps (inheritable | bounding), so both must
    // hold exactly the kept set for it to survive exec and nothing more.
    data[i].inheritable = word;
  }
  return ::syscall(SYS_capset, &header, data) == 0;
}

namespace {

// execvpe(3) would search the helper's PATH, not the command's.
[[noreturn]] void exec_in_path(const Prepared& prep, int error_fd) {
  const char* name = prep.argv[0];
  if (std::strchr(name, '/')) {
    ::execve(name, prep.argv.data(), prep.envp.data());
    child_fail(error_fd, SetupStep::Exec, errno);
  }
  int first_error = ENOENT;
  char candidate[PATH_MAX];
  std::size_t name_len = std::strlen(name);
  const char* dir = prep.path;
  while (true) {
    const char* end = std::strchr(dir, ':');
    std::size_t dir_len = end ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
    if (dir_len + 1 + name_len < sizeof candidate) {
      std::memcpy(candidate, dir, dir_len);
      std::size_t pos = dir_len;
      if (dir_len == 0) candidate[pos++] = '.';
      candidate[pos++] = '/';
      std::memcpy(candidate + pos, name, name_len + 1);
      ::execve(candidate, prep.argv.data(), prep.envp.data());
      if (errno != ENOENT && errno != ENOTDIR && first_error == ENOENT) first_error = errno;
    }
    if (!end) break;
    dir = end + 1;
  }
  child_fail(error_fd, SetupStep::Exec, first_error);
}

}  // namespace

void exec_command(const Prepared& prep, int error_fd) {
  // The signals pid 1 waits for were blocked before clone; the command starts
  // with the default dispositions and an empty mask, like any new process.
  sigset_t none;
  sigemptyset(&none);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Without a terminal the command gets its own session: a terminal's Ctrl-C
  // then reaches it once, through pid 1, never twice.
  if (!prep.interactive) ::setsid();

  for (const auto& r : prep.rlimits)
    if (::setrlimit(r.resource, &r.limit) != 0)
      child_fail(error_fd, SetupStep::Rlimits, errno);
  if (::chdir(prep.workdir) != 0) child_fail(error_fd, SetupStep::Workdir, errno);
  // As linux32(1) does for a 32-bit chroot: uname -m then names the 32-bit
  // machine, which configure scripts read. Inherited by every child.
  if (prep.linux32 && ::personality(PER_LINUX32) < 0) child_fail(error_fd, SetupStep::Personality, errno);
  ::umask(022);
  // Every inherited descriptor above stderr is closed at exec, the error pipe too.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);

  if (!drop_capabilities(prep.keep_caps, prep.last_cap)) child_fail(error_fd, SetupStep::Capabilities, errno);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(error_fd, SetupStep::NoNewPrivs, errno);
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prep.program) != 0)
    child_fail(error_fd, SetupStep::Seccomp, errno);
  exec_in_path(prep, error_fd);
}

}  // namespace cleanroom::sandbox::helper
