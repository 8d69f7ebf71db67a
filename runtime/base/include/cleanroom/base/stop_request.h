// A request to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT) that reached cleanroom
// while sandboxes ran with those signals blocked. Every running sandbox must
// get it, not only the one whose thread read it (verify runs two builds, a
// bisect several); the steps they ran fail, what would come after them (the
// next step, a bisect) must not start, and the failure is reported as the
// interruption it is. Process-wide; the first signal wins.
#pragma once

#include <cstdint>

#include "cleanroom/base/error.h"

namespace cleanroom {

// reached_sandboxes: the signal came from the terminal, so it reached the
// helpers in cleanroom's process group by itself; else (a kill(2) aimed at
// cleanroom alone) stop_forward_fd() turns readable for them to pass it on.
// Returns true for the first request, false when one was already noted.
bool note_stop_request(int sig, bool reached_sandboxes);

// The signal that asked to stop, 0 when none did.
int stop_request();

// An eventfd that is readable once a stop request must be passed on to the
// sandboxes; never read from, so it stays readable for every waiter.
int stop_forward_fd();

// Error(Interrupted) "interrupted by SIGTERM" for signal sig (exit 128+sig).
Error interrupted_error(int sig);

// The command's --timeout, as a deadline for all of its work: sandbox steps get
// what is left of it, and host-side work (extracting and normalizing what a
// build produced) checks it between pieces, so a hostile build cannot keep
// cleanroom busy past it on the host either. 0: none.
void set_deadline_seconds(std::uint64_t seconds_from_now);
// Seconds left, at least 1 while the deadline has not passed; 0: no deadline.
std::uint64_t seconds_until_deadline();

// Throws interrupted_error once a stop was requested, and Error(Failure)
// "timed out" once the deadline has passed.
void throw_if_stop_requested();

}  // namespace cleanroom
