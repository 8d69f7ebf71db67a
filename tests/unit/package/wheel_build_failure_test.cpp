#include "wheel_build_failure.h"

#include <catch2/catch.hpp>
#include <string>

using namespace cleanroom::build;

TEST_CASE("a failed wheel build shows the end of its log") {
  std::string log;
  for (int i = 1; i <= 40; ++i) log += "line " + std::to_string(i) + "\n\n";
  std::string tail = log_tail(log);
  CHECK(tail.find("  line 26\n") == 0);
  CHECK(tail.find("line 25\n") == std::string::npos);
  CHECK(tail.ends_with("  line 40\n"));
  CHECK(log_tail("only\r\n", 15) == "  only\n");
  CHECK(log_tail("", 15).empty());
  CHECK(log_tail("red \x1b[31mtext\n", 15) == "  red ?[31mtext\n");
}

TEST_CASE("build_packages is the hint only when a header, compiler or library is missing") {
  CHECK(log_shows_missing_package(
      "xxhash.c:3:10: fatal error: xxhash.h: No such file or directory\n"));
  CHECK(log_shows_missing_package("/usr/bin/ld: cannot find -lxxhash: No such file\n"));
  CHECK(log_shows_missing_package(
      "error: command 'x86_64-linux-gnu-gcc' failed: No such file or directory\n"));
  CHECK(log_shows_missing_package("Package libffi was not found in the pkg-config search path\n"));
  CHECK_FALSE(log_shows_missing_package(
      "xxhash.c:12:5: error: 'XXH3_64bits' undeclared (first use in this function)\n"
      "error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1\n"));
  CHECK_FALSE(log_shows_missing_package(
      "  File \"setup.py\", line 4\nSyntaxError: invalid syntax\n"));
}
