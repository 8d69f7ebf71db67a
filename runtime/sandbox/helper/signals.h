// The signals the helper and pid 1 pass on to the command. They are blocked
// from before clone(2) until the command starts, and collected with
// signalfd/sigwaitinfo, so no asynchronous handler runs in this code.
#pragma once

#include <signal.h>

namespace cleanroom::sandbox::helper {

inline constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

inline sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  for (int sig : kForwarded) sigaddset(&set, sig);
  return set;
}

// A terminal's signal (Ctrl-C) reaches the whole foreground process group by
// itself; passing it on to an interactive command, which is in that group,
// would deliver it twice.
inline bool sent_by_terminal(int si_code) { return si_code == SI_KERNEL; }

}  // namespace cleanroom::sandbox::helper
