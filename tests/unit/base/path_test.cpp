#include "cleanroom/base/path.h"

#include <catch2/catch.hpp>

using namespace cleanroom;

TEST_CASE("file_name is what follows the last slash") {
  CHECK(file_name("/a/b/hello_1.0-1_amd64.deb") == "hello_1.0-1_amd64.deb");
  CHECK(file_name("dir/f") == "f");
  CHECK(file_name("f") == "f");
  CHECK(file_name("/f") == "f");
  CHECK(file_name("/a/") == "");
  CHECK(file_name("") == "");
}

TEST_CASE("parent_dir is the part before the last slash") {
  CHECK(parent_dir("/a/b") == "/a");
  CHECK(parent_dir("a/b/c") == "a/b");
  CHECK(parent_dir("b") == ".");
  CHECK(parent_dir("/b") == "/");
}

TEST_CASE("a plain file name stays in its directory") {
  CHECK(cleanroom::is_plain_file_name("hello_1.0_amd64.build"));
  CHECK_FALSE(cleanroom::is_plain_file_name(""));
  CHECK_FALSE(cleanroom::is_plain_file_name("."));
  CHECK_FALSE(cleanroom::is_plain_file_name(".."));
  CHECK_FALSE(cleanroom::is_plain_file_name("../x"));
  CHECK_FALSE(cleanroom::is_plain_file_name("a/b"));
  CHECK_FALSE(cleanroom::is_plain_file_name(std::string("a\0b", 3)));
}
