#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/pipeline/snapshot_create.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

store::ChrootDefinition buster() {
  store::ChrootDefinition d;
  d.suite = "buster";
  d.mirror = "http://archive.debian.org/debian";
  d.keyrings = {"/k1.gpg", "/k2.gpg"};
  d.components = {"main", "contrib"};
  d.variant = "buildd";
  d.deb_compression = "xz";
  d.check_valid_until = false;
  return d;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("package lists split on commas and spaces, keep order, drop duplicates") {
  CHECK(split_package_list({"python3,python3-venv", "git  make", "python3"}) ==
        std::vector<std::string>{"python3", "python3-venv", "git", "make"});
  CHECK(split_package_list({"libc6:amd64", "foo=1.0-1"}).size() == 2);
  CHECK(split_package_list({"", ",,"}).empty());
  CHECK_THROWS_WITH(split_package_list({"python3,Bad_Name"}),
                    Catch::Contains("'Bad_Name' is not a Debian package name"));
}

TEST_CASE("mmdebstrap is asked for the definition's suite, mirror, keyrings and components") {
  SnapshotCreateOptions o;
  o.arch = "amd64";
  auto inv = mmdebstrap_invocation(buster(), o, {"python3", "git"}, "/w/out.tar", false);
  const auto& a = inv.argv;
  CHECK(inv.tool == "mmdebstrap");
  CHECK(a.front() == "mmdebstrap");
  CHECK(has(a, "--variant=buildd"));
  CHECK(has(a, "--arch=amd64"));
  CHECK(has(a, "--components=main,contrib"));
  CHECK(has(a, "--include=python3,git"));
  CHECK(has(a, "--keyring=/k1.gpg"));
  CHECK(has(a, "--keyring=/k2.gpg"));
  CHECK(has(a, "--aptopt=Acquire::Check-Valid-Until \"false\""));
  CHECK(has(a, "--mode=root"));
  CHECK(has(a, "--format=tar"));
  // Positional arguments last: suite, target, mirror.
  REQUIRE(a.size() >= 3);
  CHECK(a[a.size() - 3] == "buster");
  CHECK(a[a.size() - 2] == "/w/out.tar");
  CHECK(a.back() == "http://archive.debian.org/debian");
}

TEST_CASE("options override the definition; users bootstrap in unshare mode") {
  store::ChrootDefinition d = buster();
  d.check_valid_until = true;
  SnapshotCreateOptions o;
  o.arch = "arm64";
  o.variant = "essential";
  o.mirror = "http://local/debian";
  auto a = mmdebstrap_invocation(d, o, {}, "/o.tar", true).argv;
  CHECK(has(a, "--variant=essential"));
  CHECK(has(a, "--mode=unshare"));
  CHECK(a.back() == "http://local/debian");
  CHECK_FALSE(std::any_of(a.begin(), a.end(),
                          [](const std::string& s) { return s.rfind("--include", 0) == 0; }));
  CHECK_FALSE(std::any_of(a.begin(), a.end(),
                          [](const std::string& s) { return s.rfind("--aptopt", 0) == 0; }));
}

TEST_CASE("debootstrap gets one keyring and a variant it knows") {
  SnapshotCreateOptions o;
  o.arch = "amd64";
  o.variant = "essential";
  auto a = debootstrap_invocation(buster(), o, {"python3"}, "/w/tree").argv;
  CHECK(a.front() == "debootstrap");
  CHECK(has(a, "--variant=minbase"));
  CHECK(has(a, "--keyring=/k1.gpg"));
  CHECK_FALSE(has(a, "--keyring=/k2.gpg"));
  CHECK(has(a, "--include=python3"));
  CHECK(a[a.size() - 2] == "/w/tree");
}

TEST_CASE("cleaning a bootstrap removes what differs between runs and keeps the rest") {
  TempDir dir("bootstrap-");
  std::string t = dir.path();
  for (const char* d : {"/etc", "/var/lib/apt/lists/partial", "/var/cache/apt/archives/partial",
                        "/var/log/apt", "/var/cache/ldconfig", "/tmp/sub", "/dev", "/usr/bin"})
    make_dirs(t + d);
  for (const char* f : {"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
                        "/var/lib/apt/lists/lock", "/var/cache/apt/pkgcache.bin",
                        "/var/cache/apt/archives/x_1_amd64.deb", "/var/log/dpkg.log",
                        "/var/log/apt/history.log", "/var/cache/ldconfig/aux-cache",
                        "/tmp/sub/f", "/tmp/.hidden", "/usr/bin/keep", "/etc/hostname"})
    write_file_atomic(t + f, "x");
  write_file_atomic(t + "/etc/machine-id", "0123456789abcdef\n");
  REQUIRE(::mkfifo((t + "/dev/fifo").c_str(), 0600) == 0);
  REQUIRE(::symlink("/proc/self/fd", (t + "/dev/fd").c_str()) == 0);

  clean_bootstrap_tree(t);

  for (const char* gone : {"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
                           "/var/cache/apt/pkgcache.bin", "/var/cache/apt/archives/x_1_amd64.deb",
                           "/var/log/dpkg.log", "/var/log/apt/history.log",
                           "/var/cache/ldconfig/aux-cache", "/tmp/sub", "/tmp/.hidden",
                           "/dev/fifo"})
    CHECK_FALSE(path_exists(t + gone));
  for (const char* kept : {"/var/lib/apt/lists/lock", "/var/lib/apt/lists/partial",
                           "/usr/bin/keep", "/tmp", "/dev/fd"})
    CHECK(path_exists(t + kept));
  CHECK(read_file(t + "/etc/machine-id").empty());
  CHECK(read_file(t + "/etc/hostname") == "cleanroom\n");
  CHECK(read_file(t + "/etc/resolv.conf").empty());
}

TEST_CASE("an unknown suite fails before anything runs, listing the known ones") {
  TempDir dir("chroots-");
  write_file_atomic(dir.path() + "/bookworm.toml", "x");
  TempDir store_dir("store-");
  store::Store store(store_dir.path());
  SnapshotCreateOptions o;
  o.suite = "hamm";
  o.chroots_dir = dir.path();
  try {
    create_snapshot(store, o);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(std::string(e.what()).find("known suites: bookworm") != std::string::npos);
  }
}
