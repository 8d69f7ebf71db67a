#include "cleanroom/base/join.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace cleanroom;

TEST_CASE("join puts the separator between items only") {
  CHECK(join(std::vector<std::string>{}, ", ") == "");
  CHECK(join(std::vector<std::string>{"a"}, ", ") == "a");
  CHECK(join(std::vector<std::string>{"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(join(std::set<std::string>{"y", "x"}, "\n") == "x\ny");
  CHECK(join(std::vector<const char*>{"gcc", "-c"}, " ") == "gcc -c");
}

TEST_CASE("join keeps empty items in their place") {
  CHECK(join(std::vector<std::string>{"", "b"}, ",") == ",b");
  CHECK(join(std::vector<std::string>{"a", "", "c"}, ",") == "a,,c");
}

TEST_CASE("join takes the text of each item from a function") {
  std::map<std::string, int> counts = {{"a", 1}, {"b", 2}};
  CHECK(join(counts, "; ",
             [](const auto& kv) { return kv.first + "=" + std::to_string(kv.second); }) ==
        "a=1; b=2");
}
