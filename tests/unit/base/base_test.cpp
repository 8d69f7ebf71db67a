#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_lock.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/toml_guard.h"

using namespace cleanroom;

TEST_CASE("sha256 of known vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("md5 and sha1 of known vectors, fed in pieces") {
  auto hex = [](DigestKind kind, std::initializer_list<std::string_view> pieces) {
    Digest d(kind);
    for (auto p : pieces) d.update(p);
    return d.hex();
  };
  CHECK(hex(DigestKind::Md5, {}) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(hex(DigestKind::Md5, {"a", "bc"}) == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(hex(DigestKind::Sha1, {"ab", "c"}) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex(DigestKind::Sha256, {"a", "b", "c"}) == sha256_hex("abc"));
  TempDir dir;
  write_file_atomic(dir.path() + "/f", "abc");
  CHECK(file_digest_hex(DigestKind::Md5, dir.path() + "/f") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK_THROWS_AS(file_digest_hex(DigestKind::Md5, dir.path() + "/missing"), Error);
}

TEST_CASE("hash keys are length-prefixed so parts never run together") {
  CHECK(HashKey("d").add("ab").add("c").hex() != HashKey("d").add("a").add("bc").hex());
  CHECK(HashKey("d").add("1").hex() != HashKey("d").add(std::uint64_t{1}).hex());
  CHECK(HashKey("d").add("x").hex() == HashKey("d").add("x").hex());
}

TEST_CASE("a temporary file left by a killed writer is removed by the next one") {
  TempDir dir;
  std::string target = dir.path() + "/out.txt";
  auto temps = [&] {
    int n = 0;
    for (const char* name : {"/.out.txt.tmp-0"})
      n += ::access((dir.path() + name).c_str(), F_OK) == 0;
    return n;
  };
  write_file_atomic(dir.path() + "/.out.txt.tmp-0", "left by a writer killed mid-way");
  REQUIRE(temps() == 1);
  write_file_atomic(target, "new");
  CHECK(read_file(target) == "new");
  CHECK(temps() == 0);

  // Two writers of one target at once: the second gets a name of its own.
  AtomicFile first(target), second(target);
  CHECK(first.temp_path() != second.temp_path());
  first.write("first");
  second.write("second");
  second.commit();
  first.commit();
  CHECK(read_file(target) == "first");
  CHECK(temps() == 0);

  // A planted link is never written through.
  write_file_atomic(dir.path() + "/victim", "keep");
  REQUIRE(::link((dir.path() + "/victim").c_str(), (dir.path() + "/.out.txt.tmp-0").c_str()) == 0);
  write_file_atomic(target, "third");
  CHECK(read_file(dir.path() + "/victim") == "keep");
  CHECK(read_file(target) == "third");
}

TEST_CASE("a FIFO or a link planted at a temporary's old name is neither waited on nor followed") {
  TempDir dir;
  std::string target = dir.path() + "/out.txt";
  std::string fifo = dir.path() + "/.out.txt.tmp-0";
  std::string link = dir.path() + "/.out.txt.tmp-1";
  write_file_atomic(dir.path() + "/victim", "keep");
  REQUIRE(::mkfifo(fifo.c_str(), 0666) == 0);
  REQUIRE(::symlink((dir.path() + "/victim").c_str(), link.c_str()) == 0);
  // In a child with an alarm: a writer that opened the FIFO would wait forever.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::alarm(10);
    try {
      for (int i = 0; i < 20; ++i) write_file_atomic(target, "new");
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  bool finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  CHECK(finished);
  CHECK(read_file(target) == "new");
  struct stat st;
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  REQUIRE(::lstat(link.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(read_file(dir.path() + "/victim") == "keep");
  // Temporaries get unguessable names: two writers never share a prefix past the stem.
  AtomicFile a(target), b(target);
  CHECK(a.temp_path().starts_with(dir.path() + "/.out.txt.tmp-"));
  CHECK(a.temp_path().size() >= (dir.path() + "/.out.txt.tmp-").size() + 10);
  CHECK(a.temp_path() != b.temp_path());
}

TEST_CASE("atomic file leaves the target untouched until commit") {
  TempDir dir;
  std::string target = dir.path() + "/out.txt";
  write_file_atomic(target, "old");
  {
    AtomicFile f(target);
    f.write("new");
    CHECK(read_file(target) == "old");
  }  // dropped uncommitted
  CHECK(read_file(target) == "old");
  CHECK(::access((dir.path() + "/.out.txt.tmp").c_str(), F_OK) != 0);
  AtomicFile f(target);
  f.write("new");
  f.commit();
  CHECK(read_file(target) == "new");
}

TEST_CASE("temp dir removal does not follow symlinks and copes with read-only dirs") {
  TempDir outside;
  write_file_atomic(outside.path() + "/keep", "precious");
  std::string inner_path;
  {
    TempDir dir;
    inner_path = dir.path();
    REQUIRE(::symlink(outside.path().c_str(), (dir.path() + "/link").c_str()) == 0);
    make_dirs(dir.path() + "/a/b");
    write_file_atomic(dir.path() + "/a/b/f", "x");
    REQUIRE(::chmod((dir.path() + "/a").c_str(), 0500) == 0);
  }
  CHECK_FALSE(path_exists(inner_path));
  CHECK(read_file(outside.path() + "/keep") == "precious");
}

TEST_CASE("process exit codes and signals are reported like a shell") {
  CHECK(run_process({.argv = {"sh", "-c", "exit 7"}}).status == 7);
  CHECK(run_process({.argv = {"sh", "-c", "kill -TERM $$"}}).status == 128 + 15);
  auto r = run_process({.argv = {"sh", "-c", "printf hello"}}, true);
  CHECK(r.output == "hello");
  CHECK_THROWS_AS(run_process({.argv = {"/nonexistent/program"}}), Error);
}

TEST_CASE("errors carry errno names and context") {
  try {
    read_file("/nonexistent/file");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(e.error_number() == ENOENT);
    CHECK(std::string(e.what()).find("'/nonexistent/file'") != std::string::npos);
    CHECK(std::string(e.what()).find("ENOENT") != std::string::npos);
    CHECK(std::string(e.with_context("ctx").what()).rfind("ctx: ", 0) == 0);
  }
}

TEST_CASE("exclusive locks exclude") {
  TempDir dir;
  std::string path = dir.path() + "/lock";
  FileLock held(path, LockMode::Exclusive);
  // flock locks belong to the open file description: a second open conflicts.
  CHECK_FALSE(FileLock::try_lock(path, LockMode::Exclusive).valid());
}

#include "cleanroom/base/progress.h"

TEST_CASE("progress lines show percent, sizes, rate and time left") {
  std::string line = Progress::render("pack", 250'000'000, 1'000'000'000, "B", 10.0, "usr/lib", 10);
  CHECK(line == "pack [##--------]  25% 250.0 MB/1.0 GB 25.0 MB/s ETA 0:30 usr/lib");
  CHECK(Progress::render("wheels", 3, 12, "", 0.1, "zcrc-0.1.0.tar.gz", 0) ==
        "wheels  25% 3/12 zcrc-0.1.0.tar.gz");
  CHECK(Progress::render("x", 5, 0, "", 1.0, "", 0).find("100%") != std::string::npos);
}

TEST_CASE("TOML text is read as ASCII: the first other byte's line is found") {
  CHECK_FALSE(toml_first_non_ascii_line("name = \"J\\u00f6rg\" # plain\n"));
  CHECK(toml_first_non_ascii_line("a = 1\nb = 17041==\xc3\xbd==\n") == 2u);
  CHECK(toml_first_non_ascii_line("\xc2\xa0" "a = 1\n") == 1u);
  // Inside strings and comments too: toml++ reads those as raw text after an error.
  CHECK(toml_first_non_ascii_line("a = 1\n\nb = '\xc3\xa9'\n") == 3u);
  CHECK(toml_first_non_ascii_line("# caf\xc3\xa9\n") == 1u);
}

TEST_CASE("try_lock_existing never creates the lock file and tells held from missing") {
  TempDir dir;
  std::string path = dir.path() + "/owner.lock";
  CHECK_FALSE(FileLock::try_lock_existing(path, LockMode::Exclusive).has_value());
  CHECK(::access(path.c_str(), F_OK) != 0);
  FileLock held(path, LockMode::Exclusive);
  auto other = FileLock::try_lock_existing(path, LockMode::Exclusive);
  REQUIRE(other.has_value());
  CHECK_FALSE(other->valid());
}
