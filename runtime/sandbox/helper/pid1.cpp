// The sandbox's pid 1. It forks the command, then only reaps: every orphan in
// the pid namespace is re-parented to it and would stay a zombie otherwise. It
// passes on the signals sent to the sandbox and exits as soon as the command
// does, with its status (128+signal when killed); the kernel then kills every
// process left in the namespace, so nothing outlives a run.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "child.h"
#include "signals.h"

namespace cleanroom::sandbox::helper {

void reap_until_exit(const Prepared& prep, pid_t command) {
  // Same uid as the command but more capabilities: not dumpable, so the
  // command cannot ptrace its way into them.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  drop_capabilities(0, prep.last_cap);
  sigset_t set = watched_signals();
  while (true) {
    siginfo_t info;
    int sig = ::sigwaitinfo(&set, &info);
    if (sig < 0) continue;  // EINTR
    if (sig != SIGCHLD) {
      // In interactive mode the command shares the terminal's process group.
      if (!(prep.interactive && sent_by_terminal(info.si_code))) ::kill(command, sig);
      continue;
    }
    while (true) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid != command) continue;
      if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
      if (WIFSIGNALED(status)) ::_exit(128 + WTERMSIG(status));
    }
  }
}

}  // namespace cleanroom::sandbox::helper
