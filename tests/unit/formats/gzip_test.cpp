#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/gzip_normalize.h"
#include "zip_python.h"

using namespace cleanroom;
using namespace cleanroom::formats;
using cleanroom::test::run_python;

namespace {

const std::string kText = [] {
  std::string s;
  for (int i = 0; i < 2000; ++i) s += "line " + std::to_string(i * 7919 % 1000) + "\n";
  return s;
}();

std::string gzip_cli(const std::string& dir, const std::vector<std::string>& flags) {
  std::string in = dir + "/changelog";
  write_file_atomic(in, kText);
  ProcessSpec spec;
  spec.argv = {"gzip", "-c"};
  spec.argv.insert(spec.argv.end(), flags.begin(), flags.end());
  spec.argv.push_back(in);
  ProcessResult r = run_process(spec, true);
  REQUIRE(r.status == 0);
  return r.output;
}

}  // namespace

TEST_CASE("gzip with a name and an mtime normalizes to what gzip -n writes") {
  TempDir dir;
  std::string named = gzip_cli(dir.path(), {"-9"});
  REQUIRE(named.size() > 10);
  REQUIRE((named[3] & 0x08) != 0);  // FNAME present
  CHECK(normalize_gzip(named, "c.gz") == gzip_cli(dir.path(), {"-9", "-n"}));
  CHECK(gzip_decompress(named, "c.gz") == kText);
}

TEST_CASE("gzip headers from python with different times and names become identical") {
  TempDir dir;
  const char* script = R"(
import gzip, sys
with open(sys.argv[1], "wb") as f:
    with gzip.GzipFile(filename=sys.argv[2], mode="wb", fileobj=f, mtime=int(sys.argv[3])) as g:
        g.write(b"hello world\n" * 100)
)";
  REQUIRE(run_python(script, {dir.path() + "/a.gz", "a.txt", "1234567"}).status == 0);
  REQUIRE(run_python(script, {dir.path() + "/b.gz", "other-name.txt", "7654321"}).status == 0);
  std::string a = read_file(dir.path() + "/a.gz"), b = read_file(dir.path() + "/b.gz");
  REQUIRE(a != b);
  std::string na = normalize_gzip(a, "a.gz");
  CHECK(na == normalize_gzip(b, "b.gz"));
  CHECK(na.substr(0, 10) == std::string("\x1f\x8b\x08\0\0\0\0\0\x02\x03", 10));
  CHECK(normalize_gzip(na, "a.gz") == na);
  write_file_atomic(dir.path() + "/n.gz", na);
  auto check = run_python("import gzip,sys; sys.stdout.write(gzip.open(sys.argv[1]).read().decode())",
                          {dir.path() + "/n.gz"});
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "hello world\n";
  CHECK(check.output == expected);
}

TEST_CASE("gzip extra, comment and header-crc fields are dropped, members kept") {
  TempDir dir;
  std::string plain = gzip_cli(dir.path(), {"-n"});
  // Hand-made header: FHCRC | FEXTRA | FNAME | FCOMMENT with an mtime.
  std::string fancy("\x1f\x8b\x08\x1e\x01\x02\x03\x04\x00\x03", 10);
  fancy += std::string("\x04\x00" "ab12", 6);
  fancy += std::string("name\0", 5);
  fancy += std::string("comment\0", 8);
  fancy += std::string("\x99\x99", 2);
  fancy += plain.substr(10);
  std::string two = fancy + fancy + std::string(7, '\0');  // two members and zero padding
  std::string normalized = normalize_gzip(two, "two.gz");
  CHECK(normalized == plain + plain + std::string(7, '\0'));
  CHECK(gzip_decompress(two, "two.gz") == kText + kText);
}

TEST_CASE("corrupt gzip input is an input error naming the file") {
  TempDir dir;
  std::string good = gzip_cli(dir.path(), {"-n"});
  auto expect_input_error = [](const std::string& bytes, const std::string& needle) {
    try {
      normalize_gzip(bytes, "'x.gz'");
      FAIL("accepted corrupt gzip");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      CHECK_THAT(e.what(), Catch::Contains("'x.gz'") && Catch::Contains(needle));
    }
  };
  expect_input_error("plain text", "not a gzip file");
  expect_input_error(good.substr(0, good.size() - 4), "truncated");
  expect_input_error(good.substr(0, good.size() / 2), "");
  std::string flipped = good;
  flipped[good.size() - 6] = static_cast<char>(flipped[good.size() - 6] ^ 1);  // inside the CRC
  expect_input_error(flipped, "CRC mismatch");
  expect_input_error(good + "junk", "trailing garbage");
  ByteBudget budget(100, "--max-decompressed raises it");
  try {
    gzip_decompress(good, "g", budget);
    FAIL("a gzip inflating past its budget was read");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Environment);
    CHECK_THAT(e.what(), Catch::Contains("more than 100 bytes") && Catch::Contains("--max-decompressed"));
  }
}

TEST_CASE("randomly corrupted gzip files either normalize or fail with an Error") {
  TempDir dir;
  const std::string good = gzip_cli(dir.path(), {"-9"});
  std::mt19937 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::string bad = good;
    for (int flips = 1 + static_cast<int>(rng() % 3); flips > 0; --flips)
      bad[rng() % bad.size()] = static_cast<char>(rng());
    if (rng() % 4 == 0) bad.resize(rng() % bad.size());
    try {
      std::string normalized = normalize_gzip(bad, "fuzz.gz");
      // Whatever was accepted decompresses to the same content after normalizing.
      CHECK(gzip_decompress(normalized, "n") == gzip_decompress(bad, "b"));
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
    }
  }
}
