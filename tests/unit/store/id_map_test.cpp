#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/store/id_map.h"

using namespace cleanroom;
using namespace cleanroom::store;

TEST_CASE("subid parsing skips comments and blank lines") {
  auto r = parse_subid("# comment\n\nalice:100000:65536\n1001:200000:1000\n", "/etc/subuid");
  REQUIRE(r.size() == 2);
  CHECK(r[0].owner == "alice");
  CHECK(r[0].start == 100000);
  CHECK(r[0].count == 65536);
  CHECK(r[1].owner == "1001");
}

TEST_CASE("subid parsing names file and line of a bad entry") {
  try {
    parse_subid("alice:1:2\nbob:x:3\n", "/etc/subuid");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(std::string(e.what()).find("/etc/subuid:2:") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_subid("a:1:2:3\n", "f"), Error);
  CHECK_THROWS_AS(parse_subid(":1:2\n", "f"), Error);
}

TEST_CASE("a normal user without newuidmap maps to itself, one id") {
  HostIdentity host{1000, 1001, "alice", "alice:100000:65536\n", "alice:100000:65536\n"};
  IdMap m = select_id_map(host);
  CHECK(m.host_uid_base == 1000);
  CHECK(m.host_gid_base == 1001);
  CHECK(m.count == 1);
}

TEST_CASE("root uses its own subuid range when it is big enough") {
  HostIdentity host{0, 0, "root", "root:300000:65536\n", "0:400000:70000\n"};
  IdMap m = select_id_map(host);
  CHECK(m.host_uid_base == 300000);
  CHECK(m.host_gid_base == 400000);
  CHECK(m.count == kIdMapCount);
}

TEST_CASE("root without a usable range gets the fixed default range") {
  SECTION("no files") {
    IdMap m = select_id_map({0, 0, "root", "", ""});
    CHECK(m.host_uid_base == kDefaultIdBase);
    CHECK(m.host_gid_base == kDefaultIdBase);
    CHECK(m.count == kIdMapCount);
  }
  SECTION("a range too small") {
    IdMap m = select_id_map({0, 0, "root", "root:300000:1000\n", "root:300000:1000\n"});
    CHECK(m.host_uid_base == kDefaultIdBase);
  }
  SECTION("a range only in subuid") {
    IdMap m = select_id_map({0, 0, "root", "root:300000:65536\n", ""});
    CHECK(m.host_uid_base == kDefaultIdBase);
  }
  SECTION("never a range that starts at host root") {
    IdMap m = select_id_map({0, 0, "root", "root:0:65536\n", "root:0:65536\n"});
    CHECK(m.host_uid_base == kDefaultIdBase);
  }
}

TEST_CASE("root's default range is refused when another user's range overlaps it") {
  std::string overlapping = "bob:" + std::to_string(kDefaultIdBase + 10) + ":100\n";
  try {
    select_id_map({0, 0, "root", overlapping, ""});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Environment);
    CHECK(std::string(e.what()).find("bob") != std::string::npos);
    CHECK(std::string(e.what()).find("usermod") != std::string::npos);
  }
  std::string below = "bob:" + std::to_string(kDefaultIdBase - 100) + ":100\n";
  CHECK(select_id_map({0, 0, "root", below, ""}).host_uid_base == kDefaultIdBase);
}

TEST_CASE("a normal user with newuidmap and a range gets itself as 0 and the range as 1..") {
  HostIdentity host{1000, 1001, "alice", "bob:200000:65536\nalice:100000:65536\n",
                    "1000:300000:65535\n", true};
  IdMap m = select_id_map(host);
  CHECK(m.subordinate());
  CHECK(m.host_uid_base == 1000);
  CHECK(m.host_gid_base == 1001);
  CHECK(m.count == kIdMapCount);
  CHECK(m.sub_uid_base == 100000);
  CHECK(m.sub_gid_base == 300000);
}

TEST_CASE("a range too small, in one file only, or at 0 gives one id") {
  auto count_for = [](std::string uids, std::string gids) {
    return select_id_map({1000, 1000, "alice", uids, gids, true}).count;
  };
  CHECK(count_for("alice:100000:1000\n", "alice:100000:65536\n") == 1);
  CHECK(count_for("alice:100000:65536\n", "") == 1);
  CHECK(count_for("alice:0:65536\n", "alice:0:65536\n") == 1);
  CHECK(count_for("bob:100000:65536\n", "bob:100000:65536\n") == 1);
}

TEST_CASE("a store's subordinate range must still be the user's") {
  IdMap recorded{1000, 1000, kIdMapCount, 100000, 100000};
  HostIdentity same{1000, 1000, "alice", "alice:100000:65536\n", "alice:100000:65536\n", true};
  CHECK_NOTHROW(check_subordinate_range_still_given(recorded, same, "/s"));
  HostIdentity wider{1000, 1000, "alice", "alice:90000:200000\n", "1000:100000:65535\n", true};
  CHECK_NOTHROW(check_subordinate_range_still_given(recorded, wider, "/s"));
  HostIdentity moved{1000, 1000, "alice", "alice:300000:65536\n", "alice:100000:65536\n", true};
  CHECK_THROWS_WITH(check_subordinate_range_still_given(recorded, moved, "/s"),
                    Catch::Contains("no longer give alice") &&
                        Catch::Contains("usermod --add-subuids 100000-165534"));
}
