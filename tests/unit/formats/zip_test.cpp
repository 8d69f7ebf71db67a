#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/wheel.h"
#include "cleanroom/formats/zip.h"
#include "zip_python.h"

using namespace cleanroom;
using namespace cleanroom::formats;
using cleanroom::test::run_python;

namespace {

// Writes a zip with Python's zipfile: entries in a seed-dependent order, with
// random timestamps, compression and permission bits. argv: path seed
const char* kMakeZip = R"(
import random, sys, zipfile
path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
files = [("b/two.txt", b"two\n" * 100, 0o644), ("a.txt", b"alpha", 0o664),
         ("bin/run", b"#!/bin/sh\necho hi\n", 0o775), ("b/", b"", 0o40775),
         ("empty", b"", 0o600)]
rng.shuffle(files)
with zipfile.ZipFile(path, "w") as z:
    for name, data, mode in files:
        info = zipfile.ZipInfo(name, (rng.randint(1985, 2030), rng.randint(1, 12),
                                      rng.randint(1, 28), rng.randint(0, 23), 0, 0))
        info.external_attr = (mode if mode > 0o7777 else 0o100000 | mode) << 16
        info.compress_type = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
        z.writestr(info, data)
)";

std::string make_python_zip(const std::string& dir, int seed) {
  std::string path = dir + "/in-" + std::to_string(seed) + ".zip";
  REQUIRE(run_python(kMakeZip, {path, std::to_string(seed)}).status == 0);
  return read_file(path);
}

ZipEntry file_entry(std::string name, std::string data, std::uint32_t mode = 0100644) {
  ZipEntry e;
  e.name = std::move(name);
  e.data = std::move(data);
  e.mode = mode;
  return e;
}

}  // namespace

TEST_CASE("zip written by us reads back with names, modes, contents and the fixed time") {
  std::vector<ZipEntry> entries = {file_entry("dir/", "", 040700),
                                   file_entry("dir/a.txt", std::string(10000, 'x'), 0100600),
                                   file_entry("dir/tool", "#!/bin/sh\n", 0100700),
                                   file_entry("l\xc3\xa9gume.txt", "")};
  ZipWriteOptions options;
  options.timestamp = 1700000000;  // 2023-11-14T22:13:20Z
  ZipArchive back = read_zip(write_zip(entries, options), "mem");
  REQUIRE(back.entries.size() == 4);
  CHECK(back.entries[0].name == "dir/");
  CHECK(back.entries[0].mode == 040755);
  CHECK(back.entries[1].data == std::string(10000, 'x'));
  CHECK(back.entries[1].mode == 0100644);
  CHECK(back.entries[2].mode == 0100755);
  CHECK(back.entries[3].name == "l\xc3\xa9gume.txt");
  for (const auto& e : back.entries) CHECK(e.mtime == 1700000000);
}

TEST_CASE("zip timestamps are clamped into the DOS range and rounded to 2 seconds") {
  ZipWriteOptions options;
  options.timestamp = 0;
  CHECK(read_zip(write_zip({file_entry("a", "x")}, options), "m").entries[0].mtime ==
        kZipMinTime);
  options.timestamp = 1700000001;
  CHECK(read_zip(write_zip({file_entry("a", "x")}, options), "m").entries[0].mtime ==
        1700000000);
}

TEST_CASE("zip writer refuses names that escape the archive") {
  CHECK_THROWS_WITH(write_zip({file_entry("../evil", "x")}, {}), Catch::Contains("'..'"));
  CHECK_THROWS_WITH(write_zip({file_entry("/etc/passwd", "x")}, {}), Catch::Contains("absolute"));
  CHECK_THROWS_WITH(write_zip({file_entry("", "x")}, {}), Catch::Contains("empty name"));
}

TEST_CASE("zips made by python in different orders and times normalize to the same bytes") {
  TempDir dir;
  std::string a = normalize_zip(make_python_zip(dir.path(), 1), "a.zip", 1700000000);
  std::string b = normalize_zip(make_python_zip(dir.path(), 2), "b.zip", 1700000000);
  CHECK(a == b);
  CHECK(normalize_zip(a, "a.zip", 1700000000) == a);  // idempotent

  write_file_atomic(dir.path() + "/out.zip", a);
  auto listing = run_python(R"(
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, oct(i.external_attr >> 16), i.date_time, len(i.extra), i.compress_type)
)", {dir.path() + "/out.zip"});
  REQUIRE(listing.status == 0);
  CHECK(listing.output ==
        "a.txt 0o100644 (2023, 11, 14, 22, 13, 20) 0 8\n"
        "b/ 0o40755 (2023, 11, 14, 22, 13, 20) 0 0\n"
        "b/two.txt 0o100644 (2023, 11, 14, 22, 13, 20) 0 8\n"
        "bin/run 0o100755 (2023, 11, 14, 22, 13, 20) 0 8\n"
        "empty 0o100644 (2023, 11, 14, 22, 13, 20) 0 8\n");
}

TEST_CASE("zip reader reports corrupt archives naming the archive and the entry") {
  TempDir dir;
  std::string good = write_zip({file_entry("data.bin", std::string(5000, 'q'))}, {});

  SECTION("not a zip") {
    CHECK_THROWS_WITH(read_zip("hello, this is plain text, not an archive", "x.zip"),
                      Catch::Contains("x.zip") && Catch::Contains("not a zip"));
  }
  SECTION("truncated") {
    CHECK_THROWS_WITH(read_zip(good.substr(0, good.size() - 30), "t.zip"),
                      Catch::Contains("t.zip"));
  }
  SECTION("flipped byte in the compressed data") {
    std::string bad = good;
    bad[40] = static_cast<char>(bad[40] ^ 0x55);
    try {
      read_zip(bad, "c.zip");
      FAIL("corrupt data was accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      CHECK_THAT(e.what(), Catch::Contains("c.zip") && Catch::Contains("'data.bin'"));
    }
  }
  SECTION("unsupported method") {
    std::string bad = good;
    bad[8] = 12;  // bzip2, in the local header
    auto central = bad.find(std::string("PK\1\2", 4));
    bad[central + 10] = 12;
    CHECK_THROWS_WITH(read_zip(bad, "m.zip"), Catch::Contains("unsupported compression method 12"));
  }
  SECTION("impossible entry count") {
    std::string bad = good;
    auto end = bad.rfind(std::string("PK\5\6", 4));
    bad[end + 10] = static_cast<char>(0xff);
    bad[end + 11] = static_cast<char>(0xff);
    CHECK_THROWS_AS(read_zip(bad, "n.zip"), Error);
  }
}

TEST_CASE("zip reader reads zip64 archives written by python") {
  TempDir dir;
  std::string path = dir.path() + "/z64.zip";
  REQUIRE(run_python(R"(
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("big", "w", force_zip64=True) as f:
        f.write(b"0123456789" * 1000)
)", {path}).status == 0);
  ZipArchive archive = read_zip_file(path);
  REQUIRE(archive.entries.size() == 1);
  CHECK(archive.entries[0].data.size() == 10000);
}

TEST_CASE("zip reader reads streamed zips with data descriptors") {
  TempDir dir;
  std::string path = dir.path() + "/streamed.zip";
  // Writing to a pipe forces zipfile to put sizes and CRCs after the data.
  REQUIRE(run_python(R"(
import subprocess, sys, zipfile
with open(sys.argv[1], "wb") as out:
    cat = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=out)
    with zipfile.ZipFile(cat.stdin, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("one.txt", "first\n" * 100)
        z.writestr("two.txt", "second\n")
    cat.stdin.close()
    cat.wait()
)", {path}).status == 0);
  std::string bytes = read_file(path);
  REQUIRE((static_cast<unsigned char>(bytes[6]) & 0x08) != 0);  // general purpose flag bit 3
  ZipArchive archive = read_zip(bytes, "streamed.zip");
  REQUIRE(archive.entries.size() == 2);
  CHECK(archive.entries[1].data == "second\n");
  CHECK(read_zip(normalize_zip(bytes, "s", 0), "n").entries[0].data.size() == 600);
}

TEST_CASE("normalize_zip refuses duplicate names") {
  std::string dup = write_zip({file_entry("a", "1"), file_entry("a", "2")}, {});
  CHECK_THROWS_WITH(normalize_zip(dup, "d.zip", 0), Catch::Contains("duplicate entry 'a'"));
}

TEST_CASE("randomly corrupted zips either read or fail with an Error") {
  std::vector<ZipEntry> entries = {file_entry("dir/", "", 040755),
                                   file_entry("dir/a.txt", std::string(3000, 'a') + "tail"),
                                   file_entry("b", "short")};
  const std::string good = write_zip(entries, {});
  std::mt19937 rng(7);
  int failures = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = good;
    for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips)
      bad[rng() % bad.size()] = static_cast<char>(rng());
    if (rng() % 4 == 0) bad.resize(rng() % bad.size());
    try {
      read_zip(bad, "fuzz.zip");
    } catch (const Error& e) {
      ++failures;
      CHECK(e.kind() == ErrorKind::Input);
    }
  }
  CHECK(failures > 1000);  // most corruptions are caught (CRC, headers, truncation)
}

namespace {

// A zip whose second entry's local header lies inside the first entry's
// stored data: two central entries reading overlapping bytes, as zip bombs
// built from one shared stream do. argv: path
const char* kOverlappingZip = R"(
import struct, sys, zlib
def local(name, data):
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0x21, zlib.crc32(data),
                       len(data), len(data), len(name), 0) + name + data
def central(name, data, offset):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 0, 0, 0x21,
                       zlib.crc32(data), len(data), len(data), len(name), 0, 0, 0, 0, 0,
                       offset) + name
inner = local(b"b", b"hello")
blob = local(b"a", inner)
cd = central(b"a", inner, 0) + central(b"b", b"hello", 31)
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 2, 2, len(cd), len(blob), 0)
open(sys.argv[1], "wb").write(blob + cd + end)
)";

}  // namespace

TEST_CASE("zip reader refuses entries whose bytes overlap as hostile") {
  TempDir dir;
  std::string path = dir.path() + "/overlap.zip";
  REQUIRE(run_python(kOverlappingZip, {path}).status == 0);
  std::string bytes = read_file(path);
  CHECK_THROWS_AS(read_zip(bytes, "o.zip"), HostileInput);
  CHECK_THROWS_WITH(read_zip(bytes, "o.zip"), Catch::Contains("'a' and 'b' overlap"));
  CHECK_THROWS_AS(normalize_zip(bytes, "o.zip", 0), HostileInput);
  CHECK_THROWS_AS(normalize_wheel(bytes, "o.whl", 0), HostileInput);
}

TEST_CASE("zip reader refuses two entries of one name as hostile") {
  std::string dup = write_zip({file_entry("a", "1"), file_entry("a", "2")}, {});
  CHECK_THROWS_AS(read_zip(dup, "d.zip"), HostileInput);
  CHECK_THROWS_WITH(read_zip(dup, "d.zip"), Catch::Contains("duplicate entry 'a'"));
}

TEST_CASE("zip reader spends each entry's size from its budget before inflating") {
  std::string zip = write_zip({file_entry("a", std::string(3000, 'a')),
                               file_entry("b", std::string(3000, 'b'))}, {});
  ByteBudget enough(6000, "raise it");
  CHECK(read_zip(zip, "z.zip", enough).entries.size() == 2);
  ByteBudget small(5000, "--max-decompressed raises it");
  try {
    read_zip(zip, "z.zip", small);
    FAIL("a zip past its budget was read");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Environment);
    CHECK_THAT(e.what(), Catch::Contains("entry 'b'") && Catch::Contains("--max-decompressed"));
  }
}
