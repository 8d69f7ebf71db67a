#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "zip_python.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/pyc.h"
#include "cleanroom/repro/normalize.h"

using namespace cleanroom;
using namespace cleanroom::repro;
using cleanroom::test::run_python;

namespace {

constexpr std::int64_t kEpoch = 1700000000;

// Fills argv[1] with what a build leaves: a wheel and a zip in seed-dependent
// order and times, a named gzip, timestamp pycs (one stale), a sourceless pyc.
const char* kMakeTree = R"(
import gzip, os, py_compile, random, sys, zipfile
root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
os.makedirs(root + "/pkg/__pycache__")
os.makedirs(root + "/dist")
def zipped(path, files):
    names = list(files); rng.shuffle(names)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(zipfile.ZipInfo(n, (rng.randint(1990, 2020), 1, 1, 0, 0, 0)), files[n])
zipped(root + "/dist/demo-1.0-py3-none-any.whl", {
    "demo/__init__.py": "x = 1\n", "demo-1.0.dist-info/METADATA": "Name: demo\n",
    "demo-1.0.dist-info/RECORD": "junk\n"})
zipped(root + "/dist/data.zip", {"a": "1", "b/c": "2"})
with open(root + "/changelog.gz", "wb") as f:
    with gzip.GzipFile(filename="changelog%d" % seed, mode="wb", fileobj=f, mtime=seed) as g:
        g.write(b"changes\n" * 50)
for name, text in [("mod", "A = 1\n"), ("stale", "B = 2\n")]:
    src = root + "/pkg/%s.py" % name
    with open(src, "w") as f: f.write(text)
    os.utime(src, (1600000000 + seed, 1600000000 + seed))
    py_compile.compile(src, cfile=root + "/pkg/__pycache__/%s.cpython-311.pyc" % name,
                       dfile="/opt/venvs/pkg/%s.py" % name)
with open(root + "/pkg/stale.py", "a") as f: f.write("# edited after compiling\n")
py_compile.compile(root + "/pkg/mod.py", cfile=root + "/pkg/orphan.pyc", dfile="/opt/orphan.py")
)";

void make_tree(const std::string& root, int seed) {
  auto r = run_python(kMakeTree, {root, std::to_string(seed)});
  REQUIRE(r.status == 0);
}

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

const NormalizeChange* find_change(const NormalizeReport& report, const std::string& path) {
  for (const auto& c : report.changes)
    if (c.path == path) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("normalize_tree makes two differently built trees byte-identical") {
  TempDir a, b;
  make_tree(a.path(), 1);
  make_tree(b.path(), 2);
  NormalizeReport ra = normalize_tree(a.path(), {kEpoch, true});
  normalize_tree(b.path(), {kEpoch, true});
  for (const char* rel : {"dist/demo-1.0-py3-none-any.whl", "dist/data.zip", "changelog.gz",
                          "pkg/__pycache__/mod.cpython-311.pyc", "pkg/orphan.pyc"}) {
    INFO(rel);
    CHECK(read_file(a.path() + "/" + rel) == read_file(b.path() + "/" + rel));
    CHECK(find_change(ra, rel) != nullptr);
  }
  const NormalizeChange* stale = find_change(ra, "pkg/__pycache__/stale.cpython-311.pyc");
  REQUIRE(stale != nullptr);
  CHECK(stale->action == NormalizeAction::Removed);
  CHECK_FALSE(path_exists(a.path() + "/pkg/__pycache__/stale.cpython-311.pyc"));
  CHECK(find_change(ra, "pkg/__pycache__/mod.cpython-311.pyc")->detail == "pyc: checked-hash");
  CHECK(find_change(ra, "pkg/orphan.pyc")->detail == "pyc: unchecked-hash (no source beside it)");

  // Python accepts the normalized checked-hash pyc as current for its source.
  auto kind = formats::read_pyc_header(read_file(a.path() + "/pkg/__pycache__/mod.cpython-311.pyc"), "m");
  CHECK(kind.kind == formats::PycKind::CheckedHash);

  // Every mtime is now at most SOURCE_DATE_EPOCH, the root's included.
  CHECK(ra.mtimes_clamped > 0);
  CHECK(lstat_of(a.path()).st_mtime <= kEpoch);
  CHECK(lstat_of(a.path() + "/dist").st_mtime == kEpoch);
  CHECK(lstat_of(a.path() + "/pkg/mod.py").st_mtime == 1600000001);  // older: kept

  // A second run has nothing left to do.
  NormalizeReport again = normalize_tree(a.path(), {kEpoch, true});
  CHECK(again.changes.empty());
  CHECK(again.mtimes_clamped == 0);
}

TEST_CASE("normalize_tree keeps mode, hard links and never follows symlinks") {
  TempDir dir, outside;
  make_tree(outside.path(), 3);
  std::string gz = dir.path() + "/doc.gz";
  write_file_atomic(gz, read_file(outside.path() + "/changelog.gz"), 0600);
  REQUIRE(::chmod(gz.c_str(), 0640) == 0);
  REQUIRE(::link(gz.c_str(), (dir.path() + "/same.gz").c_str()) == 0);
  REQUIRE(::symlink((outside.path() + "/changelog.gz").c_str(), (dir.path() + "/link.gz").c_str()) == 0);
  std::string outside_before = read_file(outside.path() + "/changelog.gz");

  NormalizeReport report = normalize_tree(dir.path(), {kEpoch, true});
  REQUIRE(report.changes.size() == 1);
  CHECK(report.changes[0].path == "doc.gz");
  struct stat st = lstat_of(gz);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_nlink == 2);
  CHECK(st.st_ino == lstat_of(dir.path() + "/same.gz").st_ino);
  CHECK(read_file(gz).substr(4, 4) == std::string(4, '\0'));
  CHECK(read_file(outside.path() + "/changelog.gz") == outside_before);
  CHECK(S_ISLNK(lstat_of(dir.path() + "/link.gz").st_mode));
}

TEST_CASE("normalize_tree reports files it cannot parse and goes on") {
  TempDir dir;
  write_file_atomic(dir.path() + "/broken.gz", "this is not gzip");
  write_file_atomic(dir.path() + "/broken.whl", "PK\3\4 and then nothing");
  write_file_atomic(dir.path() + "/notes.txt", "plain");
  NormalizeReport report = normalize_tree(dir.path(), {kEpoch, true});
  REQUIRE(report.changes.size() == 2);
  CHECK(report.changes[0].path == "broken.gz");
  CHECK(report.changes[0].action == NormalizeAction::Skipped);
  CHECK_THAT(report.changes[0].detail, Catch::Contains("'broken.gz'") && Catch::Contains("not a gzip"));
  CHECK(report.changes[1].action == NormalizeAction::Skipped);
  CHECK(report.files == 3);
  CHECK(read_file(dir.path() + "/broken.gz") == "this is not gzip");
}

TEST_CASE("normalize_tree makes static libraries as binutils' deterministic mode does") {
  TempDir dir;
  write_file_atomic(dir.path() + "/a.o", "object one");
  write_file_atomic(dir.path() + "/b.o", "object two");
  auto make_ar = [&](const char* flags, const std::string& out) {
    ProcessSpec ar;
    ar.argv = {"ar", flags, out, dir.path() + "/a.o", dir.path() + "/b.o"};
    REQUIRE(run_process(ar).status == 0);
  };
  make_ar("rcU", dir.path() + "/libx.a");
  TempDir reference;
  make_ar("rcD", reference.path() + "/libx.a");
  std::string wanted = read_file(reference.path() + "/libx.a");
  REQUIRE(read_file(dir.path() + "/libx.a") != wanted);
  NormalizeReport report = normalize_tree(dir.path(), {kEpoch, true});
  REQUIRE(find_change(report, "libx.a") != nullptr);
  CHECK(read_file(dir.path() + "/libx.a") == wanted);
}

TEST_CASE("normalize_tree refuses a root that is not a directory") {
  TempDir dir;
  write_file_atomic(dir.path() + "/file", "x");
  CHECK_THROWS_WITH(normalize_tree(dir.path() + "/file", {kEpoch, true}),
                    Catch::Contains("is not a directory"));
  CHECK_THROWS_AS(normalize_tree(dir.path() + "/missing", {kEpoch, true}), Error);
}
