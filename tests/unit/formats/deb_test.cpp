#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/deb.h"
#include "tar_fixtures.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

constexpr std::int64_t kEpoch = 1700000000;

const char* kControl =
    "Package: hello-cleanroom\n"
    "Version: 1.0-1\n"
    "Architecture: all\n"
    "Maintainer: Cleanroom Tests <tests@example.org>\n"
    "Installed-Size: 1\n"
    "Section: misc\n"
    "Priority: optional\n"
    "Description: fixture package for cleanroom's .deb writer\n"
    " A tiny package used to check that dpkg and lintian accept the format.\n";

// A DEBIAN-style package tree under root.
void make_package(const std::string& root) {
  test::put_file(root + "/DEBIAN/control", kControl);
  test::put_file(root + "/DEBIAN/conffiles", "/etc/hello.conf\n");
  test::put_file(root + "/DEBIAN/postinst", "#!/bin/sh\nset -e\nexit 0\n", 0700);
  test::put_file(root + "/etc/hello.conf", "greeting=hi\n", 0600);
  test::put_file(root + "/usr/bin/hello", "#!/bin/sh\necho hello\n", 0775);
  test::put_file(root + "/usr/share/doc/hello-cleanroom/copyright", "Public domain.\n");
  test::put_file(
      root + "/usr/share/hello-cleanroom/" + std::string(110, 'n') + "/" + std::string(60, 'f'),
      "long name\n");
  REQUIRE(::symlink("hello", (root + "/usr/bin/hi").c_str()) == 0);
}

struct Run {
  int status;
  std::string out;
};

Run run(std::vector<std::string> argv, const std::string& cwd = "") {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.cwd = cwd;
  // Tools' complaints land in the test log next to the failing check.
  auto r = run_process(spec, true);
  return {r.status, r.output};
}

std::string build(const std::string& root, const std::string& out, Compression c) {
  DebBuildOptions options;
  options.compression = c;
  options.source_date_epoch = kEpoch;
  build_deb(root, "", out, options);
  return read_file(out);
}

void touch_all(const std::string& root, std::mt19937& rng) {
  for (const std::string& rel : test::list_tree(root)) {
    timespec t[2];
    t[0].tv_sec = t[1].tv_sec = kEpoch + 1 + static_cast<time_t>(rng() % 100000000);
    t[0].tv_nsec = t[1].tv_nsec = static_cast<long>(rng() % 1000000000);
    ::utimensat(AT_FDCWD, (root + "/" + rel).c_str(), t, AT_SYMLINK_NOFOLLOW);
  }
}

}  // namespace

TEST_CASE("dpkg-deb accepts the .deb for xz, gzip and zstd members") {
  if (find_program("dpkg-deb").empty()) {
    cleanroom::test::host_skip("dpkg-deb is not installed");
    return;
  }
  TempDir tmp;
  make_package(tmp.path() + "/pkg");
  for (Compression c : {Compression::Xz, Compression::Gzip, Compression::Zstd}) {
    std::string deb = tmp.path() + "/hello" + compression_suffix(c) + ".deb";
    build(tmp.path() + "/pkg", deb, c);
    INFO(deb);
    Run info = run({"dpkg-deb", "--info", deb});
    CHECK(info.status == 0);
    CHECK_THAT(info.out, Catch::Contains("Package: hello-cleanroom"));
    CHECK_THAT(info.out, Catch::Contains("control.tar" + compression_suffix(c)) ||
                             Catch::Contains("postinst"));
    Run contents = run({"dpkg-deb", "--contents", deb});
    CHECK(contents.status == 0);
    CHECK_THAT(contents.out, Catch::Contains("root/root"));
    CHECK_THAT(contents.out, Catch::Contains("./usr/bin/hello"));
    CHECK_THAT(contents.out, Catch::Contains(std::string(60, 'f')));
    CHECK_THAT(contents.out, Catch::Contains("./usr/bin/hi -> hello"));
    CHECK_THAT(contents.out, !Catch::Contains("DEBIAN"));
    std::string x = tmp.path() + "/x" + compression_suffix(c);
    Run extract = run({"dpkg-deb", "-x", deb, x});
    CHECK(extract.status == 0);
    CHECK(read_file(x + "/usr/bin/hello") == "#!/bin/sh\necho hello\n");
    struct stat st;
    REQUIRE(::stat((x + "/usr/bin/hello").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0755);
    CHECK(st.st_mtime <= kEpoch);
    std::string ctl = tmp.path() + "/c" + compression_suffix(c);
    CHECK(run({"dpkg-deb", "-e", deb, ctl}).status == 0);
    REQUIRE(::stat((ctl + "/postinst").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0755);
    std::string md5 = read_file(ctl + "/md5sums");
    CHECK_THAT(md5, Catch::Contains("  usr/bin/hello\n"));
    CHECK_THAT(md5, !Catch::Contains("etc/hello.conf"));  // conffiles are not listed
  }
}

TEST_CASE("lintian finds nothing wrong with the .deb format") {
  if (find_program("lintian").empty()) {
    cleanroom::test::host_skip("lintian is not installed");
    return;
  }
  TempDir tmp;
  make_package(tmp.path() + "/pkg");
  std::string deb = tmp.path() + "/hello-cleanroom_1.0-1_all.deb";
  build(tmp.path() + "/pkg", deb, Compression::Xz);
  Run lint = run({"lintian", "--allow-root", "--no-cfg", "--display-level", ">=pedantic", deb});
  INFO(lint.out);
  // Proof that lintian really unpacked and checked the package.
  CHECK_THAT(lint.out, Catch::Contains("hello-cleanroom: no-changelog"));
  // Policy tags (no changelog, ...) are the fixture's business; these are the
  // tags a broken container, tar member or control member would raise.
  for (const char* tag : {"malformed-deb-archive",
                          "unknown-control-file",
                          "control-file-has-bad-permissions",
                          "control-file-has-bad-owner",
                          "tar-errors-from-data",
                          "tar-errors-from-control",
                          "mismatched-override",
                          "package-contains-ancient-file",
                          "wrong-file-owner-uid-or-gid",
                          "md5sums-lists-nonexistent-file",
                          "file-missing-in-md5sums",
                          "md5sum-mismatch",
                          "control-files-has-bad-permissions",
                          "data.tar",
                          "deb-data-member",
                          "package-uses-deprecated-source-override-location",
                          "unpack-message",
                          "lzma-deb-archive",
                          "non-standard-toplevel-dir",
                          "file-in-root-and-usr",
                          "conffile-has-bad-file-type"}) {
    CHECK_THAT(lint.out, !Catch::Contains(tag));
  }
  CHECK_THAT(lint.out, !Catch::Contains("tar:"));
}

TEST_CASE("the same tree with shuffled mtimes gives identical .deb bytes") {
  TempDir tmp;
  std::mt19937 rng(7);
  make_package(tmp.path() + "/a");
  mode_t old = ::umask(077);
  make_package(tmp.path() + "/b");
  ::umask(old);
  touch_all(tmp.path() + "/a", rng);
  touch_all(tmp.path() + "/b", rng);
  for (Compression c : {Compression::Xz, Compression::Gzip, Compression::Zstd}) {
    std::string a = build(tmp.path() + "/a", tmp.path() + "/a.deb", c);
    std::string b = build(tmp.path() + "/b", tmp.path() + "/b.deb", c);
    CHECK(a == b);
    touch_all(tmp.path() + "/a", rng);
    CHECK(build(tmp.path() + "/a", tmp.path() + "/a2.deb", c) == a);
  }
}

TEST_CASE("deb reader lists members, control text and data entries") {
  TempDir tmp;
  make_package(tmp.path() + "/pkg");
  std::string deb = tmp.path() + "/p.deb";
  build(tmp.path() + "/pkg", deb, Compression::Zstd);
  DebReader reader(deb);
  REQUIRE(reader.members().size() == 3);
  CHECK(reader.members()[0].name == "debian-binary");
  CHECK(reader.members()[0].mtime == kEpoch);
  CHECK(reader.control_member().name == "control.tar.zst");
  CHECK(reader.data_member().name == "data.tar.zst");
  CHECK(reader.control_text() == kControl);
  CHECK(reader.control_file("conffiles") == "/etc/hello.conf\n");
  CHECK_FALSE(reader.control_file("preinst"));
  std::vector<std::string> paths;
  reader.read_data([&](const TarEntry& e, const auto&) { paths.push_back(e.path); });
  REQUIRE(!paths.empty());
  CHECK(paths.front() == ".");
  CHECK(std::find(paths.begin(), paths.end(), "usr/bin/hello") != paths.end());
  std::string bytes = read_file(deb);
  DebReader in_memory(bytes, "mem.deb");
  CHECK(in_memory.control_text() == kControl);
  std::string dest = tmp.path() + "/x";
  make_dirs(dest);
  reader.extract_data(dest, {});
  CHECK(read_file(dest + "/etc/hello.conf") == "greeting=hi\n");
}

TEST_CASE("build_deb refuses a control directory without control or with a missing conffile") {
  TempDir tmp;
  test::put_file(tmp.path() + "/pkg/usr/x", "x");
  make_dirs(tmp.path() + "/pkg/DEBIAN");
  CHECK_THROWS_WITH(build(tmp.path() + "/pkg", tmp.path() + "/o.deb", Compression::Xz),
                    Catch::Contains("no 'control' file"));
  test::put_file(tmp.path() + "/pkg/DEBIAN/control", kControl);
  test::put_file(tmp.path() + "/pkg/DEBIAN/conffiles", "/etc/missing\n");
  CHECK_THROWS_WITH(build(tmp.path() + "/pkg", tmp.path() + "/o.deb", Compression::Xz),
                    Catch::Contains("conffile '/etc/missing'"));
  CHECK(!path_exists(tmp.path() + "/o.deb"));
}

// What `dpkg-deb --root-owner-group --build` makes of a tree that is already
// normal (modes, md5sums, mtimes past SOURCE_DATE_EPOCH) is what build_deb
// makes of it, byte for byte, for each compressor: the archive's own .debs
// then rebuild to their exact bytes. The 1 MiB file is past zstd's read size,
// so its data.tar takes more than one ZSTD_compressStream2 call (inputs past
// xz's 24 MiB block, which take minutes here, are scripts/bench/deb-writer's).
TEST_CASE("build_deb writes the bytes dpkg-deb --root-owner-group --build writes") {
  if (find_program("dpkg-deb").empty()) {
    cleanroom::test::host_skip("dpkg-deb is not installed");
    return;
  }
  TempDir tmp;
  std::string root = tmp.path() + "/pkg";
  test::put_file(root + "/DEBIAN/control", kControl);
  test::put_file(root + "/DEBIAN/conffiles", "/etc/hello.conf\n");
  test::put_file(root + "/DEBIAN/postinst", "#!/bin/sh\nset -e\nexit 0\n", 0755);
  test::put_file(root + "/etc/hello.conf", "greeting=hi\n");
  test::put_file(root + "/usr/bin/hello", "#!/bin/sh\necho hello\n", 0755);
  test::put_file(root + "/usr/share/doc/hello-cleanroom/copyright", "Public domain.\n");
  std::string big;
  std::mt19937 rng(7);
  while (big.size() < (std::size_t{1} << 20)) big += "word" + std::to_string(rng() % 5000) + ' ';
  test::put_file(root + "/usr/share/hello-cleanroom/big.txt", big);
  test::put_file(root + "/DEBIAN/md5sums",
                 "0e2ba6b5b0e4b8d0d4a1c1bf7d3d4b45  usr/share/doc/hello-cleanroom/copyright\n");
  REQUIRE(::symlink("hello", (root + "/usr/bin/hi").c_str()) == 0);
  for (const std::string& rel : test::list_tree(root)) {
    struct stat st;
    REQUIRE(::lstat((root + "/" + rel).c_str(), &st) == 0);
    if (S_ISDIR(st.st_mode)) ::chmod((root + "/" + rel).c_str(), 0755);
  }
  ::chmod(root.c_str(), 0755);

  for (Compression c : {Compression::Xz, Compression::Gzip, Compression::Zstd}) {
    std::string word = c == Compression::Xz ? "xz" : c == Compression::Gzip ? "gzip" : "zstd";
    INFO(word);
    std::string ours = tmp.path() + "/ours-" + word + ".deb";
    std::string theirs = tmp.path() + "/dpkg-" + word + ".deb";
    build(root, ours, c);
    ProcessSpec spec;
    spec.argv = {"dpkg-deb", "--root-owner-group", "-Z" + word, "--build", root, theirs};
    spec.env = std::vector<std::string>{"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                        "SOURCE_DATE_EPOCH=" + std::to_string(kEpoch)};
    REQUIRE(run_process(spec, true).status == 0);
    CHECK(run({"cmp", ours, theirs}).status == 0);
  }
}
