#include "cleanroom/base/stop_request.h"

#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "cleanroom/base/error.h"

namespace cleanroom {

namespace {

std::atomic<int> g_stop_signal{0};
// steady_clock nanoseconds; 0: no deadline.
std::atomic<std::int64_t> g_deadline_ns{0};
std::atomic<std::uint64_t> g_timeout_seconds{0};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

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

void set_deadline_seconds(std::uint64_t seconds_from_now) {
  g_timeout_seconds = seconds_from_now;
  g_deadline_ns = seconds_from_now == 0 ? 0 : now_ns() + static_cast<std::int64_t>(seconds_from_now) * 1'000'000'000;
}

std::uint64_t seconds_until_deadline() {
  std::int64_t deadline = g_deadline_ns.load();
  if (deadline == 0) return 0;
  std::int64_t left = deadline - now_ns();
  return left <= 0 ? 1 : static_cast<std::uint64_t>((left + 999'999'999) / 1'000'000'000);
}

void throw_if_stop_requested() {
  if (int sig = stop_request()) throw interrupted_error(sig);
  std::int64_t deadline = g_deadline_ns.load();
  if (deadline != 0 && now_ns() >= deadline)
    throw Error(ErrorKind::Failure,
                "timed out: the --timeout of " + std::to_string(g_timeout_seconds.load()) + " s has passed");
}

}  // namespace cleanroom
