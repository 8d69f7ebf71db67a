#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/sandbox/id_map.h"

using namespace cleanroom;
using namespace cleanroom::sandbox;

TEST_CASE("as root the sandbox's ids map onto the store's range, written directly") {
  auto plan = plan_id_maps({1879048192, 1879048192, 65536}, 0, 0, true);
  REQUIRE(plan.uid_map.size() == 1);
  CHECK(plan.uid_map[0] == IdMapLine{0, 1879048192, 65536});
  CHECK(plan.gid_map[0] == IdMapLine{0, 1879048192, 65536});
  CHECK(plan.method == IdMapMethod::Direct);
}

TEST_CASE("as root nothing may map onto host root") {
  CHECK_THROWS_WITH(plan_id_maps({0, 100000, 65536}, 0, 0, true), Catch::Contains("host root"));
  CHECK_THROWS_WITH(plan_id_maps({100000, 0, 65536}, 0, 0, true), Catch::Contains("host root"));
  CHECK_THROWS_AS(plan_id_maps({0xffffff00u, 100000, 65536}, 0, 0, true), Error);
  CHECK_THROWS_AS(plan_id_maps({100000, 100000, 0}, 0, 0, true), Error);
}

TEST_CASE("an unprivileged user maps only itself and must deny setgroups") {
  auto plan = plan_id_maps({1000, 1001, 1}, 1000, 1001, false);
  CHECK(plan.uid_map == std::vector<IdMapLine>{{0, 1000, 1}});
  CHECK(plan.gid_map == std::vector<IdMapLine>{{0, 1001, 1}});
  CHECK(plan.method == IdMapMethod::DenySetgroups);
  CHECK_THROWS_WITH(plan_id_maps({1000, 1000, 1}, 1002, 1002, false), Catch::Contains("use your own store"));
}

TEST_CASE("an unprivileged user with a subordinate range goes through newuidmap") {
  auto plan = plan_id_maps({100000, 100000, 65536}, 1000, 1000, false);
  CHECK(plan.method == IdMapMethod::Helpers);
  CHECK(plan.uid_map == std::vector<IdMapLine>{{0, 100000, 65536}});
}

TEST_CASE("inside a user's subordinate namespace uid 0 maps the identity of its ids") {
  auto plan = plan_id_maps({0, 0, 65536}, 0, 0, false);
  CHECK(plan.method == IdMapMethod::Direct);
  // One line per line of the parent's map: the user, then its range.
  CHECK(plan.uid_map == std::vector<IdMapLine>{{0, 0, 1}, {1, 1, 65535}});
  CHECK(plan.gid_map == std::vector<IdMapLine>{{0, 0, 1}, {1, 1, 65535}});
}
