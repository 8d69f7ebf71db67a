#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/buildinfo.h"
#include "deb822_input_error.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

BuildinfoFile sample() {
  BuildinfoFile b;
  b.source = "hello";
  b.binaries = {"hello-doc", "hello"};
  b.architectures = {"amd64", "all"};
  b.version = "1.0-1";
  b.files.push_back({.name = "hello_1.0-1_amd64.deb",
                     .size = 5,
                     .md5 = "5d41402abc4b2a76b9719d911017c592",
                     .sha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
                     .sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"});
  b.build_origin = "Debian";
  b.build_architecture = "amd64";
  b.build_date = "Mon, 01 Jan 2024 12:00:00 +0000";
  b.build_path = "/build/hello-1.0";
  b.build_tainted_by = {"usr-local-has-programs"};
  b.installed_build_depends = {"gcc (= 4:12.2.0-3)", "dpkg (= 1.21.22)", "base-files (= 12.4)"};
  b.environment = {{"LC_ALL", "C.UTF-8"}, {"DEB_BUILD_OPTIONS", "parallel=1 \"x\""}};
  b.cleanroom_snapshot = "sha256:abc";
  b.cleanroom_wheelhouse = "sha256:def";
  b.cleanroom_recipe = "sha256:012";
  b.source_date_epoch = 1704110400;
  return b;
}

const char* const kExpected =
    "Format: 1.0\n"
    "Source: hello\n"
    "Binary: hello hello-doc\n"
    "Architecture: all amd64\n"
    "Version: 1.0-1\n"
    "Checksums-Md5:\n"
    " 5d41402abc4b2a76b9719d911017c592 5 hello_1.0-1_amd64.deb\n"
    "Checksums-Sha1:\n"
    " aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 5 hello_1.0-1_amd64.deb\n"
    "Checksums-Sha256:\n"
    " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5 hello_1.0-1_amd64.deb\n"
    "Build-Origin: Debian\n"
    "Build-Architecture: amd64\n"
    "Build-Date: Mon, 01 Jan 2024 12:00:00 +0000\n"
    "Build-Path: /build/hello-1.0\n"
    "Build-Tainted-By:\n"
    " usr-local-has-programs\n"
    "Installed-Build-Depends:\n"
    " base-files (= 12.4),\n"
    " dpkg (= 1.21.22),\n"
    " gcc (= 4:12.2.0-3)\n"
    "Environment:\n"
    " DEB_BUILD_OPTIONS=\"parallel=1 \\\"x\\\"\"\n"
    " LC_ALL=\"C.UTF-8\"\n"
    "X-Cleanroom-Snapshot: sha256:abc\n"
    "X-Cleanroom-Wheelhouse: sha256:def\n"
    "X-Cleanroom-Recipe: sha256:012\n"
    "X-Cleanroom-Source-Date-Epoch: 1704110400\n";

std::string error_of(std::string_view text) {
  return input_error_of([&] { parse_buildinfo(text, "hello.buildinfo"); });
}

}  // namespace

TEST_CASE(".buildinfo is written in dpkg-genbuildinfo's order and layout") {
  CHECK(write_buildinfo(sample()) == kExpected);
  BuildinfoFile minimal = sample();
  minimal.build_tainted_by.clear();
  minimal.environment.clear();
  minimal.source_date_epoch.reset();
  minimal.cleanroom_wheelhouse.clear();
  std::string text = write_buildinfo(minimal);
  CHECK(text.find("Build-Tainted-By") == std::string::npos);
  CHECK(text.find("Environment") == std::string::npos);
  CHECK(text.find("X-Cleanroom-Wheelhouse") == std::string::npos);
  minimal.build_date.clear();
  CHECK_THROWS_AS(write_buildinfo(minimal), Error);
}

TEST_CASE(".buildinfo reads back into the same struct") {
  BuildinfoFile b = parse_buildinfo(kExpected, "hello.buildinfo");
  CHECK(b.source == "hello");
  CHECK(b.binaries == std::vector<std::string>{"hello", "hello-doc"});
  CHECK(b.architectures == std::vector<std::string>{"all", "amd64"});
  REQUIRE(b.files.size() == 1);
  CHECK(b.files[0].md5 == "5d41402abc4b2a76b9719d911017c592");
  CHECK(b.files[0].sha256 == sample().files[0].sha256);
  CHECK(b.installed_build_depends ==
        std::vector<std::string>{"base-files (= 12.4)", "dpkg (= 1.21.22)", "gcc (= 4:12.2.0-3)"});
  REQUIRE(b.environment.size() == 2);
  CHECK(b.environment[0].second == "parallel=1 \"x\"");
  CHECK(b.build_tainted_by == std::vector<std::string>{"usr-local-has-programs"});
  CHECK(b.cleanroom_snapshot == "sha256:abc");
  CHECK(b.source_date_epoch == 1704110400);
  CHECK(write_buildinfo(b) == kExpected);

  std::string signed_text = std::string("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n") +
                            kExpected +
                            "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";
  CHECK(parse_buildinfo(signed_text, "x.buildinfo").source == "hello");
  TempDir dir;
  write_file_atomic(dir.path() + "/hello.buildinfo", kExpected);
  CHECK(read_buildinfo_file(dir.path() + "/hello.buildinfo").version == "1.0-1");
}

TEST_CASE(".buildinfo reader errors name file and line") {
  CHECK(
      error_of("Format: 2.0\nSource: x\nVersion: 1\n") ==
      "hello.buildinfo:1: .buildinfo Format '2.0' is not supported (only 1.0); upgrade cleanroom");
  CHECK(error_of("Format: 1.0\nVersion: 1\n") ==
        "hello.buildinfo:1: missing field 'Source'; add it to the paragraph");
  CHECK(error_of("Format: 1.0\nSource: x\nVersion: 1\nChecksums-Sha1:\n abc 1 x\n")
            .starts_with("hello.buildinfo:4: Checksums-Sha1: line 'abc 1 x'"));
  CHECK(error_of("Format: 1.0\nSource: x\nVersion: 1\nX-Cleanroom-Source-Date-Epoch: 12x\n") ==
        "hello.buildinfo:4: X-Cleanroom-Source-Date-Epoch '12x' is not a number of seconds");
  CHECK(error_of("Format: 1.0\nSource: x\nVersion: 1\nEnvironment:\n A=b\n")
            .starts_with("hello.buildinfo:4: Environment line 'A=b'"));
  CHECK(error_of("Format: 1.0\n\nSource: x\n")
            .starts_with("hello.buildinfo: a .buildinfo holds exactly one"));
}

TEST_CASE(".buildinfo of a binNMU: Source with its version, Binary-Only-Changes as text") {
  // As Debian's build daemons write it (deb-buildinfo(5)).
  const char* text =
      "Format: 1.0\n"
      "Source: sl (5.02-1)\n"
      "Binary: sl\n"
      "Architecture: amd64\n"
      "Version: 5.02-1+b1\n"
      "Binary-Only-Changes:\n"
      " sl (5.02-1+b1) sid; urgency=low, binary-only=yes\n"
      " .\n"
      "   * Binary-only non-maintainer upload for amd64; no source changes.\n"
      " .\n"
      "  -- amd64 Build Daemon <buildd@example.org>  Wed, 07 Aug 2019 06:15:10 +0000\n"
      "Build-Architecture: amd64\n"
      "Build-Date: Wed, 07 Aug 2019 06:15:12 +0000\n";
  BuildinfoFile b = parse_buildinfo(text, "sl.buildinfo");
  CHECK(b.source == "sl (5.02-1)");
  CHECK(b.binary_only_changes ==
        "sl (5.02-1+b1) sid; urgency=low, binary-only=yes\n\n"
        "  * Binary-only non-maintainer upload for amd64; no source changes.\n\n"
        " -- amd64 Build Daemon <buildd@example.org>  Wed, 07 Aug 2019 06:15:10 +0000\n");
  CHECK(write_buildinfo(b) == text);
}

TEST_CASE("A rebuild takes from Environment only what changes what a build makes") {
  for (const char* name : {"DEB_BUILD_OPTIONS", "DEB_BUILD_PROFILES", "LANG", "LANGUAGE", "LC_ALL",
                           "LC_CTYPE", "TZ"})
    CHECK(rebuild_environment_variable(name));
  // Toolchain overrides and the loader are a file author's way into the build;
  // SOURCE_DATE_EPOCH comes from the changelog.
  for (const char* name : {"LD_PRELOAD", "LD_LIBRARY_PATH", "CC", "CFLAGS", "PATH",
                           "SOURCE_DATE_EPOCH", "LC_", "LC_all", "BASH_ENV", ""})
    CHECK_FALSE(rebuild_environment_variable(name));
}
