#include <fcntl.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/ar.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

std::string ar_bytes(const std::vector<std::pair<std::string, std::string>>& members,
                     std::int64_t mtime = 0) {
  TempDir tmp;
  std::string path = tmp.path() + "/x.a";
  {
    UniqueFd fd = open_fd(path, O_RDWR | O_CREAT | O_TRUNC);
    ArWriter w(fd.get(), path, mtime);
    for (const auto& [name, data] : members) w.add(name, data);
  }
  return read_file(path);
}

}  // namespace

TEST_CASE("ar writer output is deterministic and readable") {
  std::string bytes = ar_bytes({{"debian-binary", "2.0\n"}, {"odd", "abc"}, {"even", "ab"}}, 1234);
  CHECK(bytes.substr(0, 8) == "!<arch>\n");
  CHECK(bytes.substr(8, 60) == "debian-binary   1234        0     0     100644  4         `\n");
  auto members = list_ar_memory(bytes, "x.a");
  REQUIRE(members.size() == 3);
  CHECK(members[1].name == "odd");
  CHECK(members[1].size == 3);
  CHECK(bytes.substr(members[1].offset, 4) == "abc\n");  // padded to even
  CHECK(members[2].name == "even");
  CHECK(bytes.substr(members[2].offset, 2) == "ab");
  CHECK(members[2].mtime == 1234);
  CHECK(ar_bytes({{"a", "1"}}) == ar_bytes({{"a", "1"}}));
}

TEST_CASE("ar writer streams a member and patches its size") {
  TempDir tmp;
  std::string path = tmp.path() + "/s.a";
  {
    UniqueFd fd = open_fd(path, O_RDWR | O_CREAT | O_TRUNC);
    ArWriter w(fd.get(), path);
    w.begin("streamed");
    write_all(fd.get(), "hello", "s.a");
    w.end();
    w.add("after", "x");
  }
  UniqueFd fd = open_fd(path, O_RDONLY);
  auto members = list_ar_fd(fd.get(), path);
  REQUIRE(members.size() == 2);
  CHECK(read_ar_member(fd.get(), members[0], path) == "hello");
  CHECK(read_ar_member(fd.get(), members[1], path) == "x");
}

TEST_CASE("ar writer refuses names it cannot store plainly") {
  TempDir tmp;
  UniqueFd fd = open_fd(tmp.path() + "/n.a", O_RDWR | O_CREAT);
  ArWriter w(fd.get(), "n.a");
  CHECK_THROWS_AS(w.add("a-name-longer-than-15", "x"), Error);
  CHECK_THROWS_AS(w.add("a/b", "x"), Error);
}

TEST_CASE("ar reader refuses malformed archives with the member named") {
  std::string good = ar_bytes({{"first", "12345678"}});
  auto input_error = [](const std::string& bytes, const std::string& fragment) {
    try {
      list_ar_memory(bytes, "bad.a");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      CHECK_THAT(e.what(), Catch::Contains("bad.a"));
      CHECK_THAT(e.what(), Catch::Contains(fragment));
    }
  };
  input_error("!<arcx>\n", "bad magic");
  input_error(good.substr(0, good.size() - 3), "truncated");
  input_error(good.substr(0, 30), "truncated member header");
  std::string bad_size = good;
  bad_size.replace(8 + 48, 10, "12x4      ");
  input_error(bad_size, "malformed size field");
  std::string no_fmag = good;
  no_fmag[8 + 58] = 'X';
  input_error(no_fmag, "terminator");
  std::string huge = good;
  huge.replace(8 + 48, 10, "9999999999");
  input_error(huge, "claims 9999999999 bytes");
}

TEST_CASE("ar reader resolves GNU long names and the symbol table") {
  std::string table = "a_rather_long_member_name.o/\n";
  auto hdr = [](const std::string& name, std::size_t size) {
    std::string h = name;
    h.resize(16, ' ');
    std::string rest = "0           0     0     644     " + std::to_string(size);
    rest.resize(42, ' ');
    return h + rest + "`\n";
  };
  std::string bytes = "!<arch>\n" + hdr("/", 4) + "SYMS" + hdr("//", table.size()) + table + "\n" +
                      hdr("/0", 2) + "ok";
  auto members = list_ar_memory(bytes, "lib.a");
  REQUIRE(members.size() == 3);
  CHECK(members[0].name == "/");
  CHECK(members[2].name == "a_rather_long_member_name.o");
}

TEST_CASE("static library normalizer zeroes times, owners and modes like ar D") {
  if (find_program("ar").empty() || find_program("cc").empty()) {
    cleanroom::test::host_skip("ar or cc is not installed");
    return;
  }
  TempDir tmp;
  write_file_atomic(tmp.path() + "/a_long_object_file_name.c", "int f(void){return 1;}\n");
  write_file_atomic(tmp.path() + "/b.c", "int g(void){return 2;}\n");
  auto run = [&](std::vector<std::string> argv) {
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.cwd = tmp.path();
    REQUIRE(run_process(spec).status == 0);
  };
  run({"cc", "-c", "a_long_object_file_name.c", "b.c"});
  run({"ar", "rcU", "libx.a", "a_long_object_file_name.o", "b.o"});  // U: real times and ids
  run({"ar", "rcD", "liby.a", "a_long_object_file_name.o", "b.o"});
  std::string before = read_file(tmp.path() + "/libx.a");
  normalize_ar_file(tmp.path() + "/libx.a");
  std::string after = read_file(tmp.path() + "/libx.a");
  CHECK(after.size() == before.size());
  for (const ArMember& m : list_ar_memory(after, "libx.a")) {
    if (m.name == "//") continue;
    CHECK(m.mtime == 0);
    CHECK(m.uid == 0);
    CHECK(m.gid == 0);
  }
  CHECK(after == read_file(tmp.path() + "/liby.a"));
}
