#include "cleanroom/base/closest_name.h"

#include <catch2/catch.hpp>

using namespace cleanroom;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
  CHECK(edit_distance("bookworm", "bookworm") == 0);
  CHECK(edit_distance("bookwrom", "bookworm") == 2);
  CHECK(edit_distance("trixe", "trixie") == 1);
  CHECK(edit_distance("", "sid") == 3);
}

TEST_CASE("the closest name is offered only when it is close") {
  std::vector<std::string> names = {"bookworm", "bookworm-i386", "trixie"};
  CHECK(closest_name("bookwrom", names) == "bookworm");
  CHECK(closest_name("trixy", names) == "trixie");
  CHECK(closest_name("sid", names).empty());
  CHECK(closest_name("anything", {}).empty());
}
