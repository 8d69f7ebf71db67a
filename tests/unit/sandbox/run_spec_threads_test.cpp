// run_spec on two threads at once, as verify and plan --run -j2 do, with
// stand-in helpers (shell scripts that sleep and report a status), so no
// namespaces are needed. Each helper's exit raises a SIGCHLD for the whole
// process, and one thread's signal handling must never leave another thread
// waiting for a signal that is gone.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <future>
#include <unistd.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/sandbox/spec.h"

using namespace cleanroom;
using namespace cleanroom::sandbox;
using namespace std::chrono_literals;

namespace {

// argv is: cleanroom-sandbox --spec-fd N --status-fd M.
std::string stand_in_helper(const TempDir& dir, const std::string& name, const char* seconds) {
  std::string path = dir.path() + "/" + name;
  write_file_atomic(path, fmt::format("#!/bin/sh\n/bin/sleep {}\necho 'exit 0' >/proc/$$/fd/$4\n", seconds),
                    0755);
  return path;
}

}  // namespace

TEST_CASE("run_spec: a sandbox waited for beside another thread's sandboxes returns when it ends") {
  TempDir dir("cleanroom-run-spec-");
  std::string slow = stand_in_helper(dir, "slow", "0.4");
  std::string fast = stand_in_helper(dir, "fast", "0.01");
  Spec spec;  // the stand-ins never read it
  for (int round = 0; round < 4; ++round) {
    auto waited = std::async(std::launch::async, [&] { return run_spec(spec, slow).exit_code; });
    auto until = std::chrono::steady_clock::now() + 600ms;
    while (std::chrono::steady_clock::now() < until) REQUIRE(run_spec(spec, fast).exit_code == 0);
    bool returned = waited.wait_for(3s) == std::future_status::ready;
    // A thread stuck reading a signal that another thread took wakes up on
    // the next one: send some, so that a failure ends instead of hanging.
    while (waited.wait_for(10ms) != std::future_status::ready) ::kill(::getpid(), SIGCHLD);
    REQUIRE(returned);
    REQUIRE(waited.get() == 0);
  }
}

