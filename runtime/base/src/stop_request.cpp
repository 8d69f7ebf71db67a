#include "cleanroom/base/stop_request.h"

#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "cleanroom/base/error.h"

namespace cleanroom {

namespace {

std::atomic<int> g_stop_signal{0};

}  // namespace

int stop_forward_fd() {
  // Made on first use and kept for the life of the process.
  static const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) throw_errno("eventfd", errno, ErrorKind::Environment);
  return fd;
}

bool note_stop_request(int sig, bool reached_sandboxes) {
  int none = 0;
  if (!g_stop_signal.compare_exchange_strong(none, sig)) return false;
  if (reached_sandboxes) return true;
  std::uint64_t one = 1;
  // Cannot fail but for a full counter, which one write never makes.
  [[maybe_unused]] ssize_t n = ::write(stop_forward_fd(), &one, sizeof one);
  return true;
}

int stop_request() { return g_stop_signal.load(); }

Error interrupted_error(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return Error(ErrorKind::Interrupted,
               std::string("interrupted by ") + (abbrev ? std::string("SIG") + abbrev
                                                        : "signal " + std::to_string(sig)),
               sig);
}

void throw_if_stop_requested() {
  if (int sig = stop_request()) throw interrupted_error(sig);
}

}  // namespace cleanroom
