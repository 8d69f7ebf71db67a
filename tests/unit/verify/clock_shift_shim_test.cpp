// The time variation's clock shim, compiled from the preamble the variation
// emits and run on this machine: times stamped from the start on read later by
// the shift, times set in the shifted future are stored that much earlier, and
// older times pass unchanged, through statx (coreutils' stat) and stat (perl).
#include <catch2/catch.hpp>

#include <ctime>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/verify/variation.h"
#include "preamble_heredoc.h"
#include "host_skip.h"
#include "shim_sources.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

std::string shim_source() { return preamble_heredoc(VariationSet::only(Variation::Time)); }

std::vector<long long> numbers(const std::string& text) {
  std::vector<long long> out;
  std::istringstream in(text);
  for (long long n; in >> n;) out.push_back(n);
  return out;
}

}  // namespace

TEST_CASE("the clock shim moves file times stamped after the start, and only those") {
  if (find_program("gcc").empty() || find_program("perl").empty()) {
    cleanroom::test::host_skip("gcc or perl is not installed: the shim cannot be tried here");
    return;
  }
  TempDir tmp("cleanroom-clock-test-");
  write_file_atomic(tmp.path() + "/clock-shift.c", shim_source());
  std::string so = tmp.path() + "/clock-shift.so";
  ProcessSpec cc;
  cc.argv = {"gcc", "-O0", "-Wall", "-Werror", "-shared", "-fPIC", "-o", so, tmp.path() + "/clock-shift.c", "-ldl"};
  REQUIRE(run_process(cc).status == 0);
  // With file order varied too, both shims are one library.
  write_file_atomic(tmp.path() + "/both.c", preamble_heredoc(VariationSet::all()));
  ProcessSpec both;
  both.argv = {"gcc", "-O0", "-shared", "-fPIC", "-o", tmp.path() + "/both.so", tmp.path() + "/both.c", "-ldl"};
  REQUIRE(run_process(both).status == 0);

  long long start = static_cast<long long>(std::time(nullptr)) - 1;
  long long future = start + kClockShiftSeconds + 100;
  ProcessSpec run;
  run.cwd = tmp.path();
  run.env = std::vector<std::string>{
      "PATH=/usr/bin:/bin", "LD_PRELOAD=" + so,
      "CLEANROOM_CLOCK_START=" + std::to_string(start),
      "CLEANROOM_CLOCK_SHIFT=" + std::to_string(kClockShiftSeconds)};
  run.argv = {"sh", "-c",
              "touch -d @1704067200 old && : > new && touch -d @" + std::to_string(future) +
                  " future && stat -c %Y old new future && "
                  "perl -e 'print join(\"\\n\", map { (stat $_)[9] } @ARGV), \"\\n\"' old new future"};
  ProcessResult r = run_process(run, true);
  REQUIRE(r.status == 0);
  auto seen = numbers(r.output);
  REQUIRE(seen.size() == 6);
  long long now = static_cast<long long>(std::time(nullptr));
  for (int i : {0, 3}) {
    CHECK(seen[i] == 1704067200);                   // older than the start: unchanged
    CHECK(seen[i + 1] >= start + kClockShiftSeconds);  // written now: the shifted now
    CHECK(seen[i + 1] <= now + kClockShiftSeconds);
    CHECK(seen[i + 2] == future);                   // set in the shifted future: read as set
  }
  // Without the shim the kernel's own stamps show: the future time stored earlier.
  ProcessSpec plain;
  plain.argv = {"stat", "-c", "%Y", tmp.path() + "/future", tmp.path() + "/new"};
  auto kernel = numbers(run_process(plain, true).output);
  REQUIRE(kernel.size() == 2);
  CHECK(kernel[0] == future - kClockShiftSeconds);
  CHECK(kernel[1] <= now);
}
