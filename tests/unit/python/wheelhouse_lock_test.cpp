#include "cleanroom/python/wheelhouse_lock.h"

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/simple_index.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

// A wheelhouse directory with two fake wheels and a stray file.
struct Wheelhouse {
  TempDir dir;
  Wheelhouse() {
    write_file_atomic(dir.path() + "/six-1.16.0-py2.py3-none-any.whl", "six bytes");
    write_file_atomic(dir.path() + "/Hello_CLI-0.2-py3-none-any.whl", "hello bytes");
    write_file_atomic(dir.path() + "/README", "not a wheel");
  }
  std::string file(const std::string& name) const { return dir.path() + "/" + name; }
};

}  // namespace

TEST_CASE("lock of a directory lists every wheel with its sha256, sorted") {
  Wheelhouse wh;
  WheelhouseLock lock = lock_directory(wh.dir.path());
  REQUIRE(lock.entries.size() == 2);
  CHECK(lock.entries[0] ==
        LockEntry{"hello-cli", "0.2", "Hello_CLI-0.2-py3-none-any.whl", sha256_hex("hello bytes")});
  CHECK(lock.entries[1].name == "six");
  CHECK(lock.find("six")->sha256 == sha256_hex("six bytes"));
  CHECK(check_directory_against_lock(wh.dir.path(), lock).empty());
}

TEST_CASE("lock files round-trip byte-identically and carry a format version") {
  Wheelhouse wh;
  WheelhouseLock lock = lock_directory(wh.dir.path());
  std::string path = wh.file(kLockFileName);
  write_lock(path, lock);
  std::string text = read_file(path);
  CHECK_THAT(text,
             Catch::StartsWith("{\n  \"format\": 1,\n  \"kind\": \"cleanroom-wheelhouse-lock\""));
  WheelhouseLock again = read_lock(path);
  CHECK(again.entries == lock.entries);
  CHECK(render_lock(again) == text);
  // Order of entries in the input does not change the output.
  std::reverse(again.entries.begin(), again.entries.end());
  CHECK(render_lock(again) == text);
  CHECK(lock_hash(again) == lock_hash(lock));
  again.entries[0].sha256[0] = again.entries[0].sha256[0] == 'a' ? 'b' : 'a';
  CHECK(lock_hash(again) != lock_hash(lock));
}

TEST_CASE("lock files from the future or with bad entries are rejected, all problems at once") {
  CHECK_THAT(input_error_of([] { parse_lock("{\"format\": 2, \"distributions\": []}", "w.lock"); }),
             Catch::Contains("w.lock: lock format 2 is newer"));
  CHECK_THAT(input_error_of([] { parse_lock("{\n\"format\": 1,\n oops}", "w.lock"); }),
             Catch::Contains("w.lock:3: not valid JSON"));
  std::string text = R"({"format": 1, "distributions": [
    {"name": "Six", "version": "1.16.0", "filename": "six-1.16.0-py3-none-any.whl", "sha256": "abc"},
    {"name": "a", "version": "1.0", "filename": "b-1.0-py3-none-any.whl", "sha256": ")" +
                     std::string(64, '0') + R"("},
    {"name": "a", "version": "1.0"},
    {"name": "c", "version": "1.0", "filename": "c-1.0-py3-none-any.whl", "sha256": ")" +
                     std::string(64, '0') + R"("},
    {"name": "c", "version": "1.0", "filename": "c-1.0-py3-none-any.whl", "sha256": ")" +
                     std::string(64, '0') + R"("}
  ]})";
  std::string msg = input_error_of([&] { parse_lock(text, "w.lock"); });
  CHECK_THAT(
      msg, Catch::Contains("distributions[0]: name \"Six\" is not a normalized distribution name"));
  CHECK_THAT(msg, Catch::Contains(
                      "distributions[0]: sha256 of \"six-1.16.0-py3-none-any.whl\" is not 64"));
  CHECK_THAT(msg,
             Catch::Contains(
                 "distributions[1]: filename \"b-1.0-py3-none-any.whl\" does not match a 1.0"));
  CHECK_THAT(msg, Catch::Contains("distributions[2]: needs a string \"filename\""));
  CHECK_THAT(msg, Catch::Contains("distributions[4]: \"c-1.0-py3-none-any.whl\" is listed twice"));
  CHECK_THAT(input_error_of([] { read_lock("/nonexistent/wheelhouse.lock"); }),
             Catch::Contains("does not exist"));
}

TEST_CASE("a directory that drifted from its lock is reported file by file") {
  Wheelhouse wh;
  WheelhouseLock lock = lock_directory(wh.dir.path());
  write_file_atomic(wh.file("six-1.16.0-py2.py3-none-any.whl"), "tampered");
  remove_tree(wh.file("Hello_CLI-0.2-py3-none-any.whl"));
  write_file_atomic(wh.file("extra-1.0-py3-none-any.whl"), "x");
  auto problems = check_directory_against_lock(wh.dir.path(), lock);
  REQUIRE(problems.size() == 3);
  CHECK_THAT(problems[0],
             Catch::Contains("'Hello_CLI-0.2-py3-none-any.whl' is in the lock but missing"));
  CHECK_THAT(problems[1], Catch::Contains("'six-1.16.0-py2.py3-none-any.whl' has sha256 " +
                                          sha256_hex("tampered")));
  CHECK_THAT(problems[2], Catch::Contains("'extra-1.0-py3-none-any.whl' is in"));
}

TEST_CASE("simple index has a page per project linking wheels with hashes") {
  Wheelhouse wh;
  WheelhouseLock lock = lock_directory(wh.dir.path());
  auto pages = simple_index_pages(lock);
  REQUIRE(pages.size() == 3);
  CHECK_THAT(pages["simple/index.html"], Catch::Contains("<a href=\"hello-cli/\">hello-cli</a>"));
  CHECK_THAT(pages["simple/index.html"], Catch::Contains("<a href=\"six/\">six</a>"));
  CHECK_THAT(pages["simple/six/index.html"],
             Catch::Contains("<a href=\"../../six-1.16.0-py2.py3-none-any.whl#sha256=" +
                             sha256_hex("six bytes") + "\">"));
  write_simple_index(wh.dir.path(), lock);
  CHECK(read_file(wh.file("simple/hello-cli/index.html")) == pages["simple/hello-cli/index.html"]);
  // The index does not count as a drift of the wheelhouse.
  CHECK(check_directory_against_lock(wh.dir.path(), lock).empty());
}
