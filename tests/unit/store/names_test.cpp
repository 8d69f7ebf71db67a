#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/store/names.h"

#include <string>
#include <vector>

using namespace cleanroom;
using namespace cleanroom::store;

namespace {
const std::string kIdA = std::string(8, 'a') + std::string(56, '1');
const std::string kIdB = std::string(8, 'a') + std::string(56, '2');
const std::string kIdC = std::string(64, 'c');
}  // namespace

TEST_CASE("snapshot ids are 64 lowercase hex digits") {
  CHECK(is_snapshot_id(kIdA));
  CHECK_FALSE(is_snapshot_id(kIdA.substr(1)));
  CHECK_FALSE(is_snapshot_id(std::string(64, 'A')));
  CHECK_FALSE(is_snapshot_id("bookworm"));
}

TEST_CASE("names: letters, digits and ._+- only") {
  CHECK_NOTHROW(validate_name("bookworm"));
  CHECK_NOTHROW(validate_name("bookworm-py3.11+x_1"));
  CHECK_THROWS_AS(validate_name(""), Error);
  CHECK_THROWS_AS(validate_name(".hidden"), Error);
  CHECK_THROWS_AS(validate_name("a/b"), Error);
  CHECK_THROWS_AS(validate_name(".."), Error);
  CHECK_THROWS_AS(validate_name("a b"), Error);
  CHECK_THROWS_AS(validate_name(std::string(129, 'a')), Error);
}

TEST_CASE("resolution: alias, then full id, then unique prefix") {
  std::map<std::string, std::string> aliases{{"bookworm", kIdC}, {"old", kIdA}};
  std::vector<std::string> ids{kIdA, kIdB, kIdC};
  CHECK(match_snapshot("bookworm", aliases, ids) == kIdC);
  CHECK(match_snapshot(kIdB, aliases, ids) == kIdB);
  CHECK(match_snapshot("cccccccc", aliases, ids) == kIdC);
  CHECK(match_snapshot("aaaaaaaa2", aliases, ids) == kIdB);
  // Too short to be taken as a prefix.
  CHECK(match_snapshot("ccccccc", aliases, ids).empty());
  CHECK(match_snapshot("trixie", aliases, ids).empty());
}

TEST_CASE("resolution: an ambiguous prefix is an input error") {
  std::vector<std::string> ids{kIdA, kIdB};
  try {
    match_snapshot("aaaaaaaa", {}, ids);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(std::string(e.what()).find("matches 2 snapshots") != std::string::npos);
  }
}

TEST_CASE("suite names: Debian codenames only") {
  for (const char* ok : {"bookworm", "sid", "bookworm-backports", "trixie2"})
    CHECK_NOTHROW(validate_suite_name(ok, "--suite"));
  for (const std::string& bad : std::vector<std::string>{"", "Bookworm", "../../evil", "a b", "a/b", "bookworm main", "-x",
                          "1abc", "x\n", "evil\x1b[2J", std::string(65, 'a')}) {
    INFO(bad);
    CHECK_THROWS_WITH(validate_suite_name(bad, "'t.tar': os-release"),
                      Catch::Contains("'t.tar': os-release") && Catch::Contains("--suite"));
  }
  CHECK_THROWS_WITH(validate_suite_name("evil\x1b[2J", "x"), Catch::Contains("evil\\x1b[2J"));
}
