#include "cleanroom/base/file_system.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/temp_dir.h"

using namespace cleanroom;

TEST_CASE("make_dirs creates every level and refuses a file where a directory should be") {
  TempDir dir;
  make_dirs(dir.path() + "/a/b/c");
  make_dirs(dir.path() + "/a/b/c");  // exists: fine
  write_file_atomic(dir.path() + "/a/file", "x");
  CHECK_THROWS_WITH(make_dirs(dir.path() + "/a/file"), Catch::Contains("Not a directory"));
  CHECK_THROWS_WITH(make_dirs(dir.path() + "/a/file/d"), Catch::Contains("Not a directory"));
  REQUIRE(::symlink("b", (dir.path() + "/a/link").c_str()) == 0);
  make_dirs(dir.path() + "/a/link");
}

TEST_CASE("path_exists sees a dangling symlink and not a missing path") {
  TempDir dir;
  REQUIRE(::symlink("nowhere", (dir.path() + "/dangling").c_str()) == 0);
  CHECK(path_exists(dir.path() + "/dangling"));
  CHECK(path_exists(dir.path()));
  CHECK_FALSE(path_exists(dir.path() + "/missing"));
}
