#include "cleanroom/base/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"

using namespace cleanroom;

namespace {

// The Error a call throws; fails the test when it throws none.
template <typename Fn>
Error error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no Error thrown");
  return Error(ErrorKind::Failure, "");
}

}  // namespace

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

TEST_CASE("list_dir gives the names sorted by bytes, dot-files kept, . and .. left out") {
  TempDir dir;
  for (const char* name : {"b", "a", ".hidden", "B", "a.txt"})
    write_file_atomic(dir.path() + "/" + name, "");
  make_dirs(dir.path() + "/sub/inner");
  std::vector<std::string> expected = {".hidden", "B", "a", "a.txt", "b", "sub"};
  CHECK(list_dir(dir.path()) == expected);
  CHECK(list_dir(dir.path() + "/sub/inner").empty());

  UniqueFd fd = open_fd(dir.path(), O_RDONLY | O_DIRECTORY);
  CHECK(list_dir(fd.get(), "shown") == expected);
  // The fd stays open and is read from its start again.
  CHECK(list_dir(fd.get(), "shown") == expected);
}

TEST_CASE("list_dir of a missing path is an Input error naming it") {
  TempDir dir;
  Error e = error_of([&] { list_dir(dir.path() + "/missing"); });
  CHECK(e.kind() == ErrorKind::Input);
  CHECK(e.error_number() == ENOENT);
  CHECK(std::string(e.what()) ==
        "list '" + dir.path() + "/missing': ENOENT (No such file or directory)");
}

TEST_CASE("list_dir of a file is an error naming it") {
  TempDir dir;
  write_file_atomic(dir.path() + "/file", "x");
  Error e = error_of([&] { list_dir(dir.path() + "/file"); });
  CHECK(e.kind() == ErrorKind::Failure);
  CHECK(e.error_number() == ENOTDIR);
  CHECK_THAT(e.what(), Catch::StartsWith("list '" + dir.path() + "/file': ENOTDIR"));

  UniqueFd fd = open_fd(dir.path() + "/file", O_RDONLY);
  e = error_of([&] { list_dir(fd.get(), "the file"); });
  CHECK(e.error_number() == ENOTDIR);
  CHECK_THAT(e.what(), Catch::StartsWith("list 'the file': ENOTDIR"));
}

TEST_CASE("list_dir reports a readdir failure instead of a short listing") {
  // An O_PATH fd opens as a directory stream (fdopendir only checks the type),
  // but reading its entries fails with EBADF: the error readdir(3) signals
  // only through errno.
  TempDir dir;
  write_file_atomic(dir.path() + "/f", "");
  UniqueFd fd = open_fd(dir.path(), O_PATH | O_DIRECTORY);
  Error e = error_of([&] { list_dir(fd.get(), dir.path()); });
  CHECK(e.kind() == ErrorKind::Failure);
  CHECK(e.error_number() == EBADF);
  CHECK_THAT(e.what(), Catch::StartsWith("read directory '" + dir.path() + "': EBADF"));
}
