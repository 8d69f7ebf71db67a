#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/wheel.h"
#include "zip_python.h"

using namespace cleanroom;
using namespace cleanroom::formats;
using cleanroom::test::run_python;

namespace {

// A wheel as a sloppy build leaves it: entries shuffled (RECORD not last),
// random timestamps and permission bits, a RECORD with stale hashes and in
// another order. argv: path seed
const char* kMakeWheel = R"(
import random, sys, zipfile
path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
files = {
  "demo/__init__.py": b"VERSION = '1.0'\n",
  "demo/core.py": b"def f(x):\n    return x * 2\n" * 50,
  "demo/data,with comma.txt": b"odd name\n",
  "demo-1.0.data/scripts/demo-run": b"#!python\nimport demo\n",
  "demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
  "demo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
  "demo-1.0.dist-info/top_level.txt": b"demo\n",
}
names = list(files) + ["demo-1.0.dist-info/RECORD"]
rng.shuffle(names)
record = "".join("%s,sha256=stale%d,%d\n" % (n, rng.randint(0, 99), rng.randint(0, 9))
                 for n in rng.sample(list(files), len(files)))
with zipfile.ZipFile(path, "w") as z:
    for name in names:
        info = zipfile.ZipInfo(name, (rng.randint(1990, 2030), rng.randint(1, 12), 1, 0, 0, 0))
        exe = name.endswith("demo-run")
        info.external_attr = (0o100000 | (0o775 if exe else rng.choice([0o644, 0o664, 0o600]))) << 16
        info.compress_type = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
        z.writestr(info, record if name.endswith("RECORD") else files[name])
)";

// Checks a wheel as an installer would: zip CRCs, RECORD last, every file
// listed once with a matching hash and size. Prints the RECORD.
const char* kCheckWheel = R"(
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
assert names[-1] == "demo-1.0.dist-info/RECORD", names
text = z.read(names[-1]).decode()
rows = list(csv.reader(io.StringIO(text)))
assert [r[0] for r in rows] == names, ([r[0] for r in rows], names)
for path, digest, size in rows:
    if path.endswith("RECORD"):
        assert digest == "" and size == ""
        continue
    data = z.read(path)
    algo, value = digest.split("=", 1)
    assert algo == "sha256"
    want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert value == want, (path, value, want)
    assert int(size) == len(data), path
sys.stdout.write(text)
)";

std::string make_wheel(const std::string& dir, int seed) {
  std::string path = dir + "/demo-1.0-py3-none-any-" + std::to_string(seed) + ".whl";
  REQUIRE(run_python(kMakeWheel, {path, std::to_string(seed)}).status == 0);
  return read_file(path);
}

}  // namespace

TEST_CASE("wheels that differ in order, times and RECORD normalize to identical, valid bytes") {
  TempDir dir;
  std::string a = normalize_wheel(make_wheel(dir.path(), 1), "a.whl", 1700000000);
  std::string b = normalize_wheel(make_wheel(dir.path(), 7), "b.whl", 1700000000);
  CHECK(a == b);
  CHECK(normalize_wheel(a, "a.whl", 1700000000) == a);

  std::string out = dir.path() + "/demo-1.0-py3-none-any.whl";
  write_file_atomic(out, a);
  ProcessSpec zip_test;
  zip_test.argv = {"python3", "-m", "zipfile", "-t", out};
  CHECK(run_process(zip_test, true).status == 0);

  auto check = run_python(kCheckWheel, {out});
  REQUIRE(check.status == 0);
  CHECK_THAT(check.output, Catch::StartsWith("demo-1.0.data/scripts/demo-run,sha256="));
  CHECK_THAT(check.output, Catch::Contains("\"demo/data,with comma.txt\",sha256="));
  CHECK_THAT(check.output, Catch::EndsWith("demo-1.0.dist-info/RECORD,,\n"));
}

TEST_CASE("a wheel file is normalized in place, keeping its mode") {
  TempDir dir;
  std::string path = dir.path() + "/demo-1.0-py3-none-any.whl";
  write_file_atomic(path, make_wheel(dir.path(), 5), 0640);
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  CHECK(normalize_wheel_file(path, 1700000000));
  CHECK(read_file(path) == normalize_wheel(make_wheel(dir.path(), 9), "w", 1700000000));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK_FALSE(normalize_wheel_file(path, 1700000000));  // already normalized: untouched
}

TEST_CASE("wheel entry order: sorted, dist-info after the rest, RECORD last") {
  std::vector<ZipEntry> entries;
  for (const char* name : {"z.dist-info/RECORD", "z.dist-info/WHEEL", "zz/mod.py", "a/mod.py",
                           "z.dist-info/METADATA", "a.data/x"}) {
    ZipEntry e;
    e.name = name;
    entries.push_back(e);
  }
  order_wheel_entries(entries, "z.dist-info/RECORD");
  std::vector<std::string> names;
  for (auto& e : entries) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"a.data/x", "a/mod.py", "zz/mod.py",
                                          "z.dist-info/METADATA", "z.dist-info/WHEEL",
                                          "z.dist-info/RECORD"});
}

TEST_CASE("RECORD hashes are urlsafe base64 of sha256 without padding") {
  // python3 -c "import hashlib,base64;print(base64.urlsafe_b64encode(hashlib.sha256(b'').digest()))"
  CHECK(wheel_record_hash("") == "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  CHECK(wheel_record_hash("abc") == "sha256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
}

TEST_CASE("a zip without a dist-info RECORD is not a wheel") {
  ZipEntry e;
  e.name = "pkg/__init__.py";
  std::string zip = write_zip({e}, {});
  CHECK_THROWS_WITH(normalize_wheel(zip, "x.whl", 0),
                    Catch::Contains("x.whl") && Catch::Contains("no top-level *.dist-info/RECORD"));
  ZipEntry r1, r2;
  r1.name = "a-1.dist-info/RECORD";
  r2.name = "b-1.dist-info/RECORD";
  CHECK_THROWS_WITH(normalize_wheel(write_zip({r1, r2}, {}), "y.whl", 0),
                    Catch::Contains("ambiguous wheel"));
}

TEST_CASE("a corrupt wheel is an input error naming the file") {
  TempDir dir;
  std::string wheel = make_wheel(dir.path(), 3);
  wheel.resize(wheel.size() / 2);
  try {
    normalize_wheel(wheel, "'broken.whl'", 0);
    FAIL("truncated wheel accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK_THAT(e.what(), Catch::Contains("'broken.whl'"));
  }
}
