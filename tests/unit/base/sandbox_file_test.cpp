#include "cleanroom/base/sandbox_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"

using namespace cleanroom;

namespace {

// A host file the build must never reach, and the directory it wrote into.
struct Fixture {
  TempDir host, build;
  std::string secret = host.path() + "/secret";
  Fixture() { write_file_atomic(secret, "TOPSECRET", 0600); }
  std::string at(const std::string& rel) const { return build.path() + "/" + rel; }
};

// The message of the Failure a read throws; fails the test when it throws none
// or another kind.
std::string refusal(const std::string& dir, const std::string& rel,
                    std::uint64_t max = kSandboxTextMax) {
  try {
    read_sandbox_file(dir, rel, max);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Failure);
    return e.what();
  }
  FAIL("no Error thrown for '" << rel << "'");
  return "";
}

}  // namespace

TEST_CASE("read_sandbox_file reads a plain file, also in a subdirectory") {
  Fixture f;
  write_file_atomic(f.at("x.log"), "hello\n");
  make_dirs(f.at("sub/dir"));
  write_file_atomic(f.at("sub/dir/y"), "deep");
  CHECK(read_sandbox_file(f.build.path(), "x.log", kSandboxTextMax) == "hello\n");
  CHECK(read_sandbox_file(f.build.path(), "sub/dir/y", 4) == "deep");
  CHECK(read_sandbox_file(f.build.path(), "./sub//dir/y", 4) == "deep");
}

TEST_CASE("read_sandbox_file refuses a symlink to a host file") {
  Fixture f;
  REQUIRE(::symlink(f.secret.c_str(), f.at("x.log").c_str()) == 0);
  std::string message = refusal(f.build.path(), "x.log");
  CHECK_THAT(message, Catch::Contains("'" + f.at("x.log") + "' written by the build"));
  CHECK_THAT(message, Catch::Contains("is a symbolic link; refusing to follow it"));
  CHECK_THAT(message, !Catch::Contains("TOPSECRET"));
  // A relative link that stays inside is refused as well: no link is followed.
  write_file_atomic(f.at("real"), "inside");
  REQUIRE(::symlink("real", f.at("rel").c_str()) == 0);
  CHECK_THAT(refusal(f.build.path(), "rel"), Catch::Contains("symbolic link"));
}

TEST_CASE("read_sandbox_file refuses a symlink in a middle component") {
  Fixture f;
  REQUIRE(::symlink(f.host.path().c_str(), f.at("sub").c_str()) == 0);
  CHECK_THAT(refusal(f.build.path(), "sub/secret"),
             Catch::Contains("lies beneath a symbolic link; refusing to follow it"));
}

TEST_CASE("read_sandbox_file refuses a file with a second hard link") {
  Fixture f;
  write_file_atomic(f.at("a"), "shared");
  REQUIRE(::link(f.at("a").c_str(), f.at("b").c_str()) == 0);
  CHECK_THAT(refusal(f.build.path(), "b"), Catch::Contains("has 2 hard links"));
}

TEST_CASE("read_sandbox_file refuses a FIFO without waiting for a writer") {
  Fixture f;
  REQUIRE(::mkfifo(f.at("fifo").c_str(), 0644) == 0);
  // Without O_NONBLOCK the open would block here forever: the test hangs.
  CHECK_THAT(refusal(f.build.path(), "fifo"), Catch::Contains("is a FIFO, not a regular file"));
}

TEST_CASE("read_sandbox_file refuses a file over the cap, and a directory") {
  Fixture f;
  write_file_atomic(f.at("big"), std::string(11, 'x'));
  CHECK(read_sandbox_file(f.build.path(), "big", 11).size() == 11);
  CHECK_THAT(refusal(f.build.path(), "big", 10),
             Catch::Contains("is 11 bytes, more than the 10 allowed"));
  make_dirs(f.at("dir"));
  CHECK_THAT(refusal(f.build.path(), "dir"), Catch::Contains("is a directory"));
}

TEST_CASE("read_sandbox_file refuses .. and absolute paths before opening anything") {
  Fixture f;
  make_dirs(f.at("sub"));
  for (const char* rel : {"../secret", "sub/../../secret", "sub/..", "..", "/etc/passwd", ""})
    CHECK_THAT(refusal(f.build.path(), rel), Catch::Contains("leaves its directory"));
}

TEST_CASE("read_sandbox_file says which file is missing") {
  Fixture f;
  CHECK_THROWS_WITH(read_sandbox_file(f.build.path(), "none", 10),
                    Catch::Contains(f.at("none")) && Catch::Contains("ENOENT"));
}

TEST_CASE("copy_sandbox_file copies a plain file and replaces, never follows, a link at the target") {
  Fixture f;
  TempDir out;
  write_file_atomic(f.at("x.log"), "log text");
  std::string target = out.path() + "/x.log";
  REQUIRE(::symlink(f.secret.c_str(), target.c_str()) == 0);
  copy_sandbox_file(f.build.path(), "x.log", target, kSandboxTextMax);
  struct stat st;
  REQUIRE(::lstat(target.c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK((st.st_mode & 0777) == 0644);
  CHECK(read_file(target) == "log text");
  CHECK(read_file(f.secret) == "TOPSECRET");
}

TEST_CASE("copy_sandbox_file refuses a symlinked source and leaves the target alone") {
  Fixture f;
  TempDir out;
  REQUIRE(::symlink(f.secret.c_str(), f.at("x.log").c_str()) == 0);
  std::string target = out.path() + "/x.log";
  CHECK_THROWS_WITH(copy_sandbox_file(f.build.path(), "x.log", target, kSandboxTextMax),
                    Catch::Contains("symbolic link"));
  CHECK_FALSE(path_exists(target));
  CHECK(list_dir(out.path()).empty());  // no temporary left behind
}
