// The cloned process, security-relevant: it is pid 1 of fresh user, mount, pid,
// uts, ipc (and, offline, network) namespaces. It first makes sure it dies with
// the helper, waits until the helper has written its id maps, becomes uid/gid 0
// of the namespace, builds the root, waits until the helper has moved it into
// the sandbox's cgroups, enters a cgroup namespace and starts the command.
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <grp.h>

#include "child.h"

namespace cleanroom::sandbox::helper {

namespace {

// EOF: the helper died (or wrote no byte before it died); pid 1 goes too.
void wait_for_byte(int go_fd) {
  char byte = 0;
  ssize_t n;
  do {
    n = ::read(go_fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(3);
}

// The helper's second byte: pid 1 is in the sandbox's cgroups (or there are
// none), so the command may start. The cgroup namespace is made only now, so
// that its root is the sandbox's own cgroup and /proc/self/cgroup shows "/".
void wait_for_cgroups(int go_fd, int error_fd) {
  wait_for_byte(go_fd);
  ::close(go_fd);
  // Kernels without cgroup namespaces: everything else still applies.
  if (::unshare(CLONE_NEWCGROUP) != 0 && errno != EINVAL)
    child_fail(error_fd, SetupStep::CgroupNamespace, errno);
}

// The command starts as posix_spawn starts one: on a stack of its own in pid
// 1's memory, with pid 1 suspended until the exec. A fork would copy pid 1's
// page tables only for the exec to throw the copy away, and both would take
// copy-on-write faults meanwhile. exec_command writes to nothing but this stack
// and errno, which pid 1 reads only when the clone itself fails.
struct CommandStart {
  const Prepared* prep;
  int error_fd;
};

int start_command(void* arg) {
  auto* start = static_cast<CommandStart*>(arg);
  exec_command(*start->prep, start->error_fd);
}

alignas(64) char command_stack[64 * 1024];

pid_t spawn_command(const Prepared& prep, int error_fd) {
  CommandStart start{&prep, error_fd};
  return ::clone(start_command, command_stack + sizeof command_stack,
                 CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
}

}  // namespace

void run_child(const Prepared& prep, int go_fd, int error_fd) {
  // If the helper dies (because cleanroom was killed), pid 1 dies, and with it
  // the whole pid namespace.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) child_fail(error_fd, SetupStep::ParentDied, errno);
  // The first byte: the id maps are written.
  wait_for_byte(go_fd);
  ::umask(0);

  if (::setresgid(0, 0, 0) != 0) child_fail(error_fd, SetupStep::SetIds, errno);
  // setgroups is denied for an unprivileged one-id map; otherwise drop the
  // host's supplementary groups, which would show up as "nogroup".
  if (prep.id_map_method != IdMapMethod::DenySetgroups && ::setgroups(0, nullptr) != 0)
    child_fail(error_fd, SetupStep::SetIds, errno);
  if (::setresuid(0, 0, 0) != 0) child_fail(error_fd, SetupStep::SetIds, errno);
  // Changing credentials clears the parent-death signal: set it again, then
  // make sure the helper did not die in between. The helper keeps its end of
  // the go pipe open for its whole life, so a hang-up means it is gone.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) child_fail(error_fd, SetupStep::ParentDied, errno);
  // (POLLIN alone is the second byte, already sent.)
  struct pollfd alive{go_fd, POLLIN, 0};
  if (::poll(&alive, 1, 0) < 0 || (alive.revents & (POLLHUP | POLLERR))) ::_exit(3);
  if (::sethostname(prep.hostname, std::strlen(prep.hostname)) != 0)
    child_fail(error_fd, SetupStep::Hostname, errno);
  if (prep.domainname && ::setdomainname(prep.domainname, std::strlen(prep.domainname)) != 0)
    child_fail(error_fd, SetupStep::Hostname, errno);

  build_root(prep, error_fd);
  wait_for_cgroups(go_fd, error_fd);

  pid_t command = spawn_command(prep, error_fd);
  if (command < 0) child_fail(error_fd, SetupStep::Exec, errno);
  reap_until_exit(prep, command, error_fd);
}

}  // namespace cleanroom::sandbox::helper
