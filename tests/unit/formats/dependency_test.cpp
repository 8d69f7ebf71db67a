#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/formats/dependency.h"
#include "deb822_input_error.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

std::string canonical(std::string_view value) {
  return parse_dependencies(value, "Build-Depends").to_string();
}

std::string error_of(std::string_view value, std::string_view file = {}, std::size_t line = 0) {
  return input_error_of([&] { parse_dependencies(value, "Build-Depends", file, line); });
}

std::string reduced(std::string_view value, std::string_view arch,
                    const std::vector<std::string>& profiles) {
  return evaluate_build_dependencies(parse_dependencies(value, "Build-Depends"), arch, profiles)
      .to_string();
}

}  // namespace

TEST_CASE("dependency fields parse into groups of alternatives") {
  Dependencies d = parse_dependencies(
      "foo:any (>= 1.0~rc1) [amd64 arm64] <!nocheck> <stage1 cross> | bar,\n"
      " ${misc:Depends}, baz (= ${binary:Version}),",
      "Depends");
  REQUIRE(d.groups.size() == 3);
  REQUIRE(d.groups[0].size() == 2);
  const DependencyAlternative& foo = d.groups[0][0];
  CHECK(foo.name == "foo");
  CHECK(foo.arch_qualifier == "any");
  CHECK(foo.relation == VersionRelation::LaterEqual);
  CHECK(foo.version == "1.0~rc1");
  REQUIRE(foo.architectures.size() == 2);
  CHECK(foo.architectures[1].name == "arm64");
  CHECK_FALSE(foo.architectures[1].negated);
  REQUIRE(foo.profiles.size() == 2);
  CHECK(foo.profiles[0][0].negated);
  CHECK(foo.profiles[0][0].name == "nocheck");
  CHECK(foo.profiles[1].size() == 2);
  CHECK(d.groups[0][1].name == "bar");
  CHECK(d.groups[1][0].substvar);
  CHECK(d.groups[1][0].name == "${misc:Depends}");
  CHECK(d.groups[2][0].version == "${binary:Version}");
  CHECK(parse_dependencies("", "Depends").empty());
  CHECK(parse_dependencies(" ,\n , ", "Depends").empty());
}

TEST_CASE("dependency fields print back canonically") {
  CHECK(canonical("foo:any(>=1.0)[amd64  arm64]<!nocheck><stage1   cross>|bar") ==
        "foo:any (>= 1.0) [amd64 arm64] <!nocheck> <stage1 cross> | bar");
  CHECK(canonical("  a,\n  b (<< 2),\n  ${shlibs:Depends},\n") == "a, b (<< 2), ${shlibs:Depends}");
  CHECK(canonical("lib${abi}-dev (= ${source:Version})") == "lib${abi}-dev (= ${source:Version})");
  for (const char* s : {"a", "a | b | c", "a (= 1:2.0-1) [!i386 !armel]", "python3:native",
                        "a <!nocheck !nodoc> <stage1>"})
    CHECK(canonical(s) == s);
}

TEST_CASE("dependency errors name the field, the entry and the fix") {
  CHECK(error_of("a (< 1.0)") ==
        "Build-Depends: obsolete relation '<' in 'a (< 1.0)'; write '<<' or '<='");
  CHECK(error_of("a (~ 1.0)") ==
        "Build-Depends: expected a relation (<< <= = >= >>) after '(' in 'a (~ 1.0)'");
  CHECK(error_of("a, b (>= 1.0") ==
        "Build-Depends: version restriction in 'b (>= 1.0' lacks its ')'");
  CHECK(error_of("a (>= x1)") ==
        "Build-Depends: version 'x1' has bad syntax: version number does not start with digit");
  CHECK(error_of("a [amd64 !i386]") ==
        "Build-Depends: architecture list in 'a [amd64 !i386]' mixes negated and plain "
        "architectures; use only one kind");
  CHECK(error_of("a | | b") == "Build-Depends: empty alternative around '|'; remove the extra '|'");
  CHECK(error_of("a b") ==
        "Build-Depends: unexpected 'b' in 'a b'; expected 'name (op version) [archs] <profiles>' "
        "with entries separated by ','");
  CHECK(error_of("a <>") == "Build-Depends: empty restriction formula in 'a <>'");
  CHECK(error_of("a [amd64") == "Build-Depends: architecture list in 'a [amd64' lacks its ']'");
  CHECK(error_of("a,\n b,\n c (>= )", "debian/control", 7)
            .starts_with("debian/control:9: Build-Depends: "));
  CHECK(error_of("lib${abi-dev") ==
        "Build-Depends: substitution variable in 'lib${abi-dev' lacks its '}'");
  CHECK(error_of("foo}").starts_with("Build-Depends: unexpected '}' in 'foo}'"));
  CHECK(
      error_of("(>= 1)").starts_with("Build-Depends: '(>= 1)' does not start with a package name"));
}

TEST_CASE("architecture wildcards match like dpkg") {
  CHECK(arch_matches("amd64", "amd64"));
  CHECK(arch_matches("amd64", "any"));
  CHECK(arch_matches("amd64", "linux-any"));
  CHECK(arch_matches("amd64", "any-amd64"));
  CHECK(arch_matches("x32", "any-amd64"));
  CHECK(arch_matches("armhf", "any-arm"));
  CHECK(arch_matches("armel", "any-arm"));
  CHECK_FALSE(arch_matches("arm64", "any-arm"));
  CHECK(arch_matches("kfreebsd-amd64", "kfreebsd-any"));
  CHECK_FALSE(arch_matches("kfreebsd-amd64", "linux-any"));
  CHECK(arch_matches("hurd-i386", "any-i386"));
  CHECK(arch_matches("armhf", "eabihf-any-any-arm"));
  CHECK(arch_matches("musl-linux-amd64", "musl-any-any"));
  CHECK_FALSE(arch_matches("amd64", "musl-any-any"));
  CHECK_FALSE(arch_matches("all", "any-amd64"));
  CHECK_FALSE(arch_matches("amd64", "i386"));
}

TEST_CASE("architecture matching agrees with Dpkg::Arch where it is installed") {
  if (find_program("perl").empty() ||
      run_process({.argv = {"perl", "-MDpkg::Arch", "-e", "1"}}).status != 0) {
    cleanroom::test::host_skip("perl's Dpkg::Arch is not installed (package libdpkg-perl)");
    return;
  }
  const std::vector<std::string> arches = {"amd64",
                                           "i386",
                                           "arm64",
                                           "armhf",
                                           "armel",
                                           "x32",
                                           "mips64el",
                                           "ppc64el",
                                           "s390x",
                                           "riscv64",
                                           "hurd-i386",
                                           "kfreebsd-amd64",
                                           "musl-linux-arm64",
                                           "musl-linux-armhf",
                                           "mipsn32el",
                                           "powerpcspe",
                                           "netbsd-i386",
                                           "darwin-amd64",
                                           "uclibc-linux-armel"};
  const std::vector<std::string> patterns = {"any",
                                             "linux-any",
                                             "any-amd64",
                                             "any-arm",
                                             "any-i386",
                                             "hurd-any",
                                             "kfreebsd-any",
                                             "gnu-linux-any",
                                             "musl-linux-any",
                                             "eabihf-any-any-any",
                                             "any-any",
                                             "amd64",
                                             "armhf",
                                             "any-mips64el",
                                             "base-gnu-linux-amd64",
                                             "gnu-any-any",
                                             "abin32-any-any-any",
                                             "bsd-any-any",
                                             "spe-any-any-powerpc",
                                             "netbsd-any",
                                             "any-mips64el",
                                             "uclibc-any-any",
                                             "eabi-any-any-arm"};
  std::string script =
      "use Dpkg::Arch qw(debarch_is); for my $p (@ARGV) { my ($a, $w) = "
      "split /,/, $p; print debarch_is($a, $w) ? 1 : 0 }";
  ProcessSpec spec{.argv = {"perl", "-e", script}};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& a : arches)
    for (const std::string& p : patterns) {
      pairs.emplace_back(a, p);
      spec.argv.push_back(a + "," + p);
    }
  ProcessResult result = run_process(spec, true);
  REQUIRE(result.status == 0);
  REQUIRE(result.output.size() == pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO(pairs[i].first << " against " << pairs[i].second);
    CHECK(arch_matches(pairs[i].first, pairs[i].second) == (result.output[i] == '1'));
  }
}

TEST_CASE("build dependencies reduce for a host architecture and build profiles") {
  const char* bd =
      "debhelper-compat (= 13), libfoo-dev [linux-any] | libbar-dev [!linux-any], "
      "python3-pytest <!nocheck>, gcc-cross <stage1 cross> <stage2>, ${misc:Depends}, "
      "libwin [any-i386]";
  CHECK(reduced(bd, "amd64", {}) ==
        "debhelper-compat (= 13), libfoo-dev, python3-pytest, ${misc:Depends}");
  CHECK(reduced(bd, "hurd-i386", {"nocheck", "stage2"}) ==
        "debhelper-compat (= 13), libbar-dev, gcc-cross, ${misc:Depends}, libwin");
  CHECK(reduced(bd, "amd64", {"stage1"}) ==
        "debhelper-compat (= 13), libfoo-dev, python3-pytest, ${misc:Depends}");
  CHECK(reduced(bd, "amd64", {"stage1", "cross", "nocheck"}) ==
        "debhelper-compat (= 13), libfoo-dev, gcc-cross, ${misc:Depends}");
}

TEST_CASE("build-dependency reduction agrees with Dpkg::Deps where it is installed") {
  if (run_process({.argv = {"perl", "-MDpkg::Deps", "-e", "1"}}).status != 0) {
    cleanroom::test::host_skip("perl's Dpkg::Deps is not installed (package libdpkg-perl)");
    return;
  }
  const std::vector<std::string> fields = {
      "a [amd64] | b [i386], c <!nocheck>, d <stage1>",
      "debhelper-compat (= 13), libfoo-dev [linux-any] | libbar-dev [!linux-any], "
      "python3-pytest <!nocheck> <pkg.foo.x>, gcc-cross <stage1 cross> <stage2>",
      "x:native (>= 1.0~rc1) [!any-arm !hurd-any] <!nodoc !nocheck>, y [armhf armel] | z",
      "only [kfreebsd-any]"};
  const std::vector<std::string> arches = {"amd64", "armhf", "hurd-i386", "kfreebsd-amd64"};
  const std::vector<std::vector<std::string>> profile_sets = {
      {}, {"nocheck"}, {"stage1", "cross"}, {"nodoc", "stage2", "pkg.foo.x"}};
  // One perl run; arguments are field, arch, profiles (comma-separated) triples.
  ProcessSpec spec{
      .argv = {"perl", "-MDpkg::Deps", "-e",
               "while (my ($f, $a, $p) = splice(@ARGV, 0, 3)) { my $d = deps_parse($f, "
               "build_dep => 1, reduce_arch => 1, host_arch => $a, reduce_profiles "
               "=> 1, build_profiles => [split /,/, $p]); print \"$d\\n\" }"}};
  std::vector<std::string> ours;
  for (const std::string& field : fields)
    for (const std::string& arch : arches)
      for (const auto& profiles : profile_sets) {
        std::string joined;
        for (const std::string& p : profiles) joined += (joined.empty() ? "" : ",") + p;
        spec.argv.insert(spec.argv.end(), {field, arch, joined});
        ours.push_back(reduced(field, arch, profiles));
      }
  ProcessResult result = run_process(spec, true);
  REQUIRE(result.status == 0);
  std::istringstream dpkg(result.output);
  for (const std::string& mine : ours) {
    std::string expected;
    REQUIRE(std::getline(dpkg, expected));
    CHECK(mine == expected);
  }
}
