#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/tree_facts.h"

using namespace cleanroom;
using namespace cleanroom::store;

TEST_CASE("os-release codename, quoted or not") {
  CHECK(os_release_codename("NAME=\"Debian\"\nVERSION_CODENAME=bookworm\nID=debian\n") ==
        "bookworm");
  CHECK(os_release_codename("VERSION_CODENAME=\"trixie\"\n") == "trixie");
  CHECK(os_release_codename("PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n").empty());
}

TEST_CASE("dpkg's architecture comes from its own status paragraph") {
  std::string status =
      "Package: libc6\nStatus: install ok installed\nArchitecture: i386\n\n"
      "Package: dpkg\nStatus: install ok installed\nArchitecture: arm64\n\n"
      "Package: dpkg-dev\nArchitecture: all\n";
  CHECK(dpkg_status_arch(status) == "arm64");
  CHECK(dpkg_status_arch("Package: dpkg-dev\nArchitecture: all\n").empty());
}

TEST_CASE("tree facts read only regular files inside the tree") {
  TempDir dir("tree-");
  std::string t = dir.path();
  make_dirs(t + "/usr/lib");
  make_dirs(t + "/etc");
  make_dirs(t + "/var/lib/dpkg");
  write_file_atomic(t + "/usr/lib/os-release", "VERSION_CODENAME=bookworm\n");
  write_file_atomic(t + "/var/lib/dpkg/status", "Package: dpkg\nArchitecture: amd64\n");
  TreeFacts f = read_tree_facts(t);
  CHECK(f.suite == "bookworm");
  CHECK(f.arch == "amd64");

  // A symlink to a host file is not followed.
  TempDir host("host-");
  write_file_atomic(host.path() + "/os-release", "VERSION_CODENAME=hostsuite\n");
  ::unlink((t + "/usr/lib/os-release").c_str());
  REQUIRE(::symlink((host.path() + "/os-release").c_str(), (t + "/etc/os-release").c_str()) == 0);
  CHECK(read_tree_facts(t).suite.empty());
}

TEST_CASE("tree facts do not follow a directory link out of the tree") {
  TempDir dir("tree-"), host("host-");
  std::string t = dir.path();
  make_dirs(host.path() + "/lib");
  write_file_atomic(host.path() + "/lib/os-release", "VERSION_CODENAME=hostsuite\n");
  make_dirs(t + "/usr");
  REQUIRE(::symlink((host.path() + "/lib").c_str(), (t + "/usr/lib").c_str()) == 0);
  CHECK(read_tree_facts(t).suite.empty());
}
