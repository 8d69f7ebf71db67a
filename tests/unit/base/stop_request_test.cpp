#include <catch2/catch.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "cleanroom/base/error.h"
#include "cleanroom/base/stop_request.h"

using namespace cleanroom;

namespace {

bool readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

// The request is process-wide and set once: each scenario runs in a child of
// its own, whatever order or process the cases run in.
bool holds_in_child(const std::function<bool()>& scenario) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(scenario() ? 0 : 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("an interrupted error exits with 128 + the signal") {
  CHECK(Error(ErrorKind::Interrupted, "interrupted by SIGTERM", SIGTERM).exit_code() == 143);
  CHECK(Error(ErrorKind::Interrupted, "interrupted by SIGINT", SIGINT).exit_code() == 130);
  CHECK(Error(ErrorKind::Failure, "x", SIGTERM).exit_code() == 1);
}

TEST_CASE("the first stop request wins and is passed on when the sandboxes lack it") {
  CHECK(holds_in_child([] {
    bool before = stop_request() == 0 && !readable(stop_forward_fd());
    bool first = note_stop_request(SIGTERM, false);
    bool second = note_stop_request(SIGINT, true);
    // Stays readable for every waiter: nobody reads it.
    return before && first && !second && stop_request() == SIGTERM &&
           readable(stop_forward_fd()) && readable(stop_forward_fd());
  }));
}

TEST_CASE("a stop request is reported as an interruption") {
  CHECK(holds_in_child([] {
    try {
      throw_if_stop_requested();
      note_stop_request(SIGTERM, false);
      throw_if_stop_requested();
    } catch (const Error& e) {
      return e.kind() == ErrorKind::Interrupted &&
             std::string(e.what()) == "interrupted by SIGTERM" && e.exit_code() == 143;
    }
    return false;
  }));
}

TEST_CASE("a terminal's stop request is not passed on: the sandboxes got it themselves") {
  CHECK(holds_in_child([] {
    return note_stop_request(SIGINT, true) && stop_request() == SIGINT &&
           !readable(stop_forward_fd());
  }));
}

TEST_CASE("a passed deadline stops work as a failure that says it timed out") {
  CHECK(holds_in_child([] {
    set_deadline_seconds(1);
    bool counting = seconds_until_deadline() == 1;
    throw_if_stop_requested();  // not yet
    ::usleep(1'100'000);
    try {
      throw_if_stop_requested();
    } catch (const Error& e) {
      return counting && seconds_until_deadline() == 1 && e.kind() == ErrorKind::Failure &&
             std::string(e.what()).find("timed out") != std::string::npos;
    }
    return false;
  }));
  CHECK(seconds_until_deadline() == 0);  // none set in this process
}
