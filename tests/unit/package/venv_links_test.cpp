// A venv package's links are made in its staging root on the host: nothing a
// recipe lists, and nothing the venv's build left there, may turn that into a
// write in a host directory.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "venv_links.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

std::string link_target(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  return n < 0 ? "" : std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

TEST_CASE("links are made beneath the staging root") {
  TempDir root;
  stage_links(root.path(), {{"/opt/venvs/x/bin/greet", "/usr/bin/greet"},
                            {"/opt/venvs/x/bin/hello", "/usr/libexec/x/hello"}});
  CHECK(link_target(root.path() + "/usr/bin/greet") == "/opt/venvs/x/bin/greet");
  CHECK(link_target(root.path() + "/usr/libexec/x/hello") == "/opt/venvs/x/bin/hello");
}

TEST_CASE("a link under an earlier link's path is not made in the host directory it names") {
  TempDir root, host;
  // The first link points at a host directory; the second lies beneath it.
  std::vector<python::Link> links = {{host.path(), "/usr/lib/pwn"},
                                     {"/bin/sh", "/usr/lib/pwn/cron.d/evil"}};
  try {
    stage_links(root.path(), links);
    FAIL("the nested link was made");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK_THAT(e.what(), Catch::Contains("/usr/lib/pwn/cron.d/evil"));
  }
  CHECK(list_dir(host.path()).empty());
}

TEST_CASE("a link already in the staging root (left by the build) is not followed") {
  TempDir root, host;
  make_dirs(root.path() + "/usr");
  REQUIRE(::symlink(host.path().c_str(), (root.path() + "/usr/bin").c_str()) == 0);
  CHECK_THROWS_AS(stage_links(root.path(), {{"/opt/venvs/x/bin/greet", "/usr/bin/greet"}}), Error);
  CHECK(list_dir(host.path()).empty());
}
