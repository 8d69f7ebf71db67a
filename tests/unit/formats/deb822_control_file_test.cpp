#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/control_file.h"
#include "deb822_input_error.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

const char* const kSource =
    "Source: hello\n"
    "Maintainer: Jane Doe <jane@example.org>\n"
    "Build-Depends: debhelper-compat (= 13),\n"
    "               libfoo-dev [linux-any],\n"
    "Build-Depends-Indep: python3-sphinx <!nodoc>\n"
    "\n";

std::string error_of(const std::string& text) {
  return input_error_of([&] { parse_control_file(text, "debian/control"); });
}

}  // namespace

TEST_CASE("debian/control: source and binary paragraphs") {
  SourceControl c = parse_control_file(
      std::string(kSource) +
          "Package: hello\nArchitecture: linux-any kfreebsd-amd64\n"
          "Depends: ${shlibs:Depends}, ${misc:Depends}\nDescription: greet\n long\n\n"
          "Package: hello-doc\nArchitecture: all\nDescription: docs\n",
      "debian/control");
  CHECK(c.source == "hello");
  CHECK(c.maintainer == "Jane Doe <jane@example.org>");
  CHECK(c.build_depends.to_string() == "debhelper-compat (= 13), libfoo-dev [linux-any]");
  CHECK(c.build_depends_indep.to_string() == "python3-sphinx <!nodoc>");
  CHECK(c.build_conflicts.empty());
  REQUIRE(c.packages.size() == 2);
  CHECK(c.packages[0].name == "hello");
  CHECK(c.packages[0].synopsis == "greet");
  CHECK_FALSE(c.packages[0].arch_independent());
  CHECK(c.packages[0].built_for("amd64"));
  CHECK(c.packages[0].built_for("kfreebsd-amd64"));
  CHECK_FALSE(c.packages[0].built_for("hurd-i386"));
  CHECK(c.packages[1].arch_independent());
  CHECK_FALSE(c.packages[1].built_for("amd64"));
  CHECK(c.packages[1].paragraph.required("Description") == "docs");
}

TEST_CASE("debian/control: the fixtures read") {
  for (const char* fixture : {"hello-c", "hello-py", "missing-dep", "netprobe"}) {
    SourceControl c = read_control_file(std::string(CLEANROOM_TEST_DATA) + "/fixtures/" + fixture +
                                        "/debian/control");
    CHECK_FALSE(c.packages.empty());
    CHECK_FALSE(c.build_depends.empty());
  }
}

TEST_CASE("debian/control errors point at the line to fix") {
  CHECK(error_of("") ==
        "debian/control:1: no paragraphs; debian/control needs a source "
        "paragraph and at least one binary package paragraph");
  CHECK(error_of("Package: a\n")
            .starts_with("debian/control:1: the first paragraph is a binary package"));
  CHECK(error_of(kSource) ==
        "debian/control:1: no binary package paragraph; add one starting with 'Package: name'");
  CHECK(error_of(std::string(kSource) + "Architecture: any\n") ==
        "debian/control:7: paragraph has no 'Package' field; every paragraph after the source "
        "paragraph describes a binary package");
  CHECK(error_of(std::string(kSource) + "Package: hello\n") ==
        "debian/control:7: package 'hello' has no 'Architecture' field; add 'Architecture: any' "
        "or 'Architecture: all'");
  CHECK(error_of(std::string(kSource) + "Package: Hello\nArchitecture: any\n")
            .starts_with("debian/control:7: 'Hello' is not a valid package name"));
  CHECK(error_of(std::string(kSource) + "Package: a1\nArchitecture: any\n\n"
                                        "Package: a1\nArchitecture: all\n") ==
        "debian/control:10: package 'a1' is defined twice (first at line 7); rename or remove one");
  CHECK(
      error_of(std::string(kSource) + "Package: a1\nArchitecture: any\nDepends: a,\n b (< 1)\n") ==
      "debian/control:10: Depends: obsolete relation '<' in 'b (< 1)'; write '<<' or '<='");
  CHECK(
      error_of(
          "Source: hello\nBuild-Depends: a,\n b [amd64 !i386]\n\nPackage: a1\nArchitecture: any\n")
          .starts_with("debian/control:3: Build-Depends: architecture list"));
  CHECK(valid_package_name("libc6-dev"));
  CHECK(valid_package_name("g++"));
  CHECK_FALSE(valid_package_name("a"));
  CHECK_FALSE(valid_package_name("-a"));
  CHECK_FALSE(valid_package_name("a_b"));
}
