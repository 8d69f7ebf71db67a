#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/pyc.h"
#include "zip_python.h"

using namespace cleanroom;
using namespace cleanroom::formats;
using cleanroom::test::run_python;

namespace {

// Compiles argv[1] to argv[2] with the given invalidation mode.
const char* kCompile = R"(
import py_compile, sys
mode = getattr(py_compile.PycInvalidationMode, sys.argv[3])
py_compile.compile(sys.argv[1], cfile=sys.argv[2], invalidation_mode=mode, doraise=True)
)";

std::int64_t mtime_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mtime;
}

}  // namespace

TEST_CASE("siphash-2-4 matches the reference vectors") {
  std::uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
  CHECK(siphash(2, 4, k0, k1, "") == 0x726fdb47dd0e0e31ULL);
  std::string fifteen;
  for (int i = 0; i < 15; ++i) fifteen += static_cast<char>(i);
  CHECK(siphash(2, 4, k0, k1, fifteen) == 0xa129ca6149be45e5ULL);
}

TEST_CASE("source hash matches importlib.util.source_hash of this python") {
  auto magic = run_python("import importlib.util as u; print(int.from_bytes(u.MAGIC_NUMBER[:2], 'little'))");
  REQUIRE(magic.status == 0);
  auto number = static_cast<std::uint16_t>(std::stoi(magic.output));
  for (std::string source : {std::string(), std::string("x"), std::string("1234567"),
                             std::string("12345678"), std::string("123456789"),
                             std::string("import os\nprint(os.getcwd())\n") + std::string(300, '#')}) {
    auto expected = run_python(
        "import importlib.util,sys; print(importlib.util.source_hash(sys.argv[1].encode()).hex())",
        {source});
    REQUIRE(expected.status == 0);
    std::uint64_t hash = pyc_source_hash(number, source);
    char hex[17];
    for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", unsigned((hash >> (8 * i)) & 0xff));
    CHECK(std::string(hex) + "\n" == expected.output);
  }
}

TEST_CASE("a timestamp pyc becomes byte-identical to py_compile's checked-hash pyc") {
  TempDir dir;
  std::string py = dir.path() + "/mod.py";
  write_file_atomic(py, "def answer():\n    return 42\n");
  REQUIRE(run_python(kCompile, {py, dir.path() + "/ts.pyc", "TIMESTAMP"}).status == 0);
  REQUIRE(run_python(kCompile, {py, dir.path() + "/ch.pyc", "CHECKED_HASH"}).status == 0);
  std::string ts = read_file(dir.path() + "/ts.pyc");
  REQUIRE(read_pyc_header(ts, "ts.pyc").kind == PycKind::Timestamp);

  std::string source = read_file(py);
  PycNormalized n = normalize_pyc(ts, PycSource{source, mtime_of(py)}, "ts.pyc");
  CHECK(n.current);
  CHECK(n.bytes == read_file(dir.path() + "/ch.pyc"));
  CHECK(read_pyc_header(n.bytes, "n").kind == PycKind::CheckedHash);
  // Normalizing the result again changes nothing.
  PycNormalized again = normalize_pyc(n.bytes, PycSource{source, 0}, "n.pyc");
  CHECK(again.current);
  CHECK(again.bytes == n.bytes);
}

TEST_CASE("a pyc whose source changed is reported as not current") {
  TempDir dir;
  std::string py = dir.path() + "/mod.py";
  write_file_atomic(py, "A = 1\n");
  REQUIRE(run_python(kCompile, {py, dir.path() + "/m.pyc", "TIMESTAMP"}).status == 0);
  std::string pyc = read_file(dir.path() + "/m.pyc");
  CHECK_FALSE(normalize_pyc(pyc, PycSource{"A = 22\n", mtime_of(py)}, "m.pyc").current);
  CHECK_FALSE(normalize_pyc(pyc, PycSource{"A = 1\n", mtime_of(py) + 5}, "m.pyc").current);
  std::string checked = normalize_pyc(pyc, PycSource{"A = 1\n", mtime_of(py)}, "m.pyc").bytes;
  CHECK_FALSE(normalize_pyc(checked, PycSource{"A = 2\n", 0}, "m.pyc").current);
}

TEST_CASE("without a source a pyc becomes unchecked-hash with a zero hash") {
  TempDir dir;
  std::string py = dir.path() + "/mod.py";
  write_file_atomic(py, "A = 1\n");
  REQUIRE(run_python(kCompile, {py, dir.path() + "/m.pyc", "TIMESTAMP"}).status == 0);
  std::string pyc = read_file(dir.path() + "/m.pyc");
  PycNormalized n = normalize_pyc(pyc, std::nullopt, "m.pyc");
  CHECK(n.current);
  PycHeader h = read_pyc_header(n.bytes, "m.pyc");
  CHECK(h.kind == PycKind::UncheckedHash);
  CHECK(h.source_hash == 0);
  CHECK(n.bytes.substr(16) == pyc.substr(16));
  // The sourceless loader accepts it: import it with the source gone.
  ::unlink(py.c_str());
  write_file_atomic(dir.path() + "/mod.pyc", n.bytes);
  auto load = run_python("import sys; sys.path.insert(0, sys.argv[1]); import mod; print(mod.A)",
                         {dir.path()});
  CHECK(load.output == "1\n");
}

TEST_CASE("corrupt or ancient pyc headers are input errors naming the file") {
  CHECK_THROWS_WITH(read_pyc_header("\x55\r\n", "'short.pyc'"),
                    Catch::Contains("'short.pyc'") && Catch::Contains("truncated"));
  CHECK_THROWS_WITH(read_pyc_header(std::string("\xa7\x0d\x0a\x0d", 4) + std::string(12, '\0'), "p"),
                    Catch::Contains("bad magic"));
  CHECK_THROWS_WITH(read_pyc_header(std::string("\x33\x0d\x0d\x0a", 4) + std::string(12, '\0'), "p"),
                    Catch::Contains("before 3.7"));
  std::string bad_flags = std::string("\xa7\x0d\x0d\x0a\x02\0\0\0", 8) + std::string(8, '\0');
  CHECK_THROWS_WITH(read_pyc_header(bad_flags, "p"), Catch::Contains("invalid pyc flags 2"));
}
