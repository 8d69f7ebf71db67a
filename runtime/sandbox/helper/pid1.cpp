// The sandbox's pid 1. It starts the command, then only reaps: every orphan in
// the pid namespace is re-parented to it and would stay a zombie otherwise. It
// passes on the signals sent to the sandbox. When the command exits it kills
// and reaps every process left, tells the helper the command's status
// (128+signal when killed) and exits with it. The helper can answer at once:
// the namespaces' own teardown (unmounting the tree, freeing the network
// namespace) finishes while nothing of the sandbox runs any more.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "child.h"
#include "signals.h"

namespace cleanroom::sandbox::helper {

namespace {

[[noreturn]] void finish(int code, int error_fd) {
  // kill(-1) from pid 1 reaches every other process of the namespace.
  ::kill(-1, SIGKILL);
  while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
  ChildError done{kCommandExited, code, -1};
  ssize_t n;
  do {
    n = ::write(error_fd, &done, sizeof done);
  } while (n < 0 && errno == EINTR);
  ::_exit(code);
}

}  // namespace

void reap_until_exit(const Prepared& prep, pid_t command, int error_fd) {
  // Same uid as the command but more capabilities: not dumpable, so the
  // command cannot ptrace its way into them. CAP_KILL stays so that the last
  // kill reaches processes that changed their uid (the build user).
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  drop_capabilities(std::uint64_t{1} << CAP_KILL, prep.last_cap);
  sigset_t set = watched_signals();
  while (true) {
    siginfo_t info;
    int sig = ::sigwaitinfo(&set, &info);
    if (sig < 0) continue;  // EINTR
    if (sig != SIGCHLD) {
      // In interactive mode the command shares the terminal's process group.
      // Otherwise it leads a session of its own: the signal goes to its whole
      // process group, as a terminal's would, so a shell waiting for a child
      // does not outlive the Ctrl-C.
      // (A command that left its group still gets it itself.)
      if (!prep.interactive) {
        if (::kill(-command, sig) != 0) ::kill(command, sig);
      } else if (!sent_by_terminal(info.si_code)) {
        ::kill(command, sig);
      }
      continue;
    }
    while (true) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid != command) continue;
      if (WIFEXITED(status)) finish(WEXITSTATUS(status), error_fd);
      if (WIFSIGNALED(status)) finish(128 + WTERMSIG(status), error_fd);
    }
  }
}

}  // namespace cleanroom::sandbox::helper
