#include <catch2/catch.hpp>

#include <string>

#include "debian_build_script.h"

using namespace cleanroom::build;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("rules targets follow the selection and Rules-Requires-Root") {
  CHECK(rules_targets(BuildSelection::Full, "no") == "clean,binary");
  CHECK(rules_targets(BuildSelection::ArchAll, "no") == "clean,binary-indep");
  CHECK(rules_targets(BuildSelection::ArchAny, "no") == "clean,binary-arch");
  // binary needs root: build runs first on its own, as dpkg-buildpackage does.
  CHECK(rules_targets(BuildSelection::Full, "binary-targets") == "clean,build,binary");
  CHECK(rules_targets(BuildSelection::ArchAll, "") == "clean,build-indep,binary-indep");
}

TEST_CASE("the build script drops to the build user and runs dpkg-buildpackage in the build path") {
  BuildScriptInput in;
  in.build_path = "/build/hello-1.0";
  in.build_path_parent = "/build";
  in.jobs = 3;
  in.rules_requires_root = "no";
  std::string s = build_script(in);
  CHECK(has(s, "useradd -u 1000 -g 1000"));
  CHECK(has(s, "chown -R 1000:1000 '/build'\n"));
  CHECK(has(s, "cd '/build/hello-1.0'\numask 022\n"));
  CHECK(has(s, "setpriv --reuid=1000 --regid=1000 --clear-groups -- dpkg-buildpackage "
               "-us -uc -ui -T clean,binary -j3\n"));
  CHECK_FALSE(has(s, "fakeroot"));
  CHECK_FALSE(has(s, "--before-build"));
}

TEST_CASE("the build script applies a variation and the tree's patches") {
  BuildScriptInput in;
  in.build_path = "/build-varied/hello-1.0";
  in.build_path_parent = "/build-varied";
  in.build_id = 2000;
  in.umask = 002;
  in.preamble = "echo preamble\n";
  in.prefix = "taskset -c 0";
  in.tree_source = true;
  in.rules_requires_root = "binary-targets";
  std::string s = build_script(in);
  CHECK(has(s, "useradd -u 2000 -g 2000"));
  CHECK(s.find("echo preamble") < s.find("cd '/build-varied/hello-1.0'"));
  CHECK(has(s, "umask 002\n"));
  CHECK(has(s, "dpkg-source --before-build ."));
  CHECK(has(s, "-- taskset -c 0 dpkg-buildpackage -us -uc -ui -T clean,build,binary -j1 -rfakeroot"));
}

TEST_CASE("a single-id store builds as the sandbox's root") {
  BuildScriptInput in;
  in.build_path = "/build/x-1";
  in.build_path_parent = "/build";
  in.has_build_user = false;
  std::string s = build_script(in);
  CHECK_FALSE(has(s, "useradd"));
  CHECK_FALSE(has(s, "setpriv"));
  CHECK(has(s, "\ndpkg-buildpackage -us -uc -ui"));
}
