#include <catch2/catch.hpp>
#include <cstdint>

#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"

using namespace cleanroom;

TEST_CASE("a byte budget is spent up to its limit, then is an environment error") {
  ByteBudget budget(100, "--max-x raises it");
  budget.spend(60, "a");
  budget.spend(40, "b");
  CHECK(budget.spent() == 100);
  try {
    budget.spend(1, "'c'");
    FAIL("spent past the limit");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Environment);
    CHECK_THAT(e.what(), Catch::Contains("'c': more than 100 bytes") &&
                             Catch::Contains("--max-x raises it"));
  }
  CHECK(budget.spent() == 100);
  // A hostile size near 2^64 does not wrap the sum back under the limit.
  ByteBudget wide(UINT64_MAX - 10, "raise");
  wide.spend(20, "a");
  CHECK_THROWS_AS(wide.spend(UINT64_MAX - 15, "b"), Error);
}
