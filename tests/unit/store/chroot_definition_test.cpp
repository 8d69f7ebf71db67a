#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/chroot_definition.h"

using namespace cleanroom;
using namespace cleanroom::store;

namespace {
const char* kGood = R"(format_version = 1
suite = "buster"
mirror = "http://archive.debian.org/debian"
keyrings = ["/a.gpg", "/b.gpg"]
components = ["main", "contrib"]
variant = "minbase"
packages = ["eatmydata"]
deb_compression = "xz"
check_valid_until = false
)";

std::string error_of(const std::string& text) {
  try {
    parse_chroot_definition(text, "chroots/x.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a chroot definition gives every field") {
  ChrootDefinition d = parse_chroot_definition(kGood, "buster.toml");
  CHECK(d.suite == "buster");
  CHECK(d.mirror == "http://archive.debian.org/debian");
  CHECK(d.keyrings == std::vector<std::string>{"/a.gpg", "/b.gpg"});
  CHECK(d.components == std::vector<std::string>{"main", "contrib"});
  CHECK(d.variant == "minbase");
  CHECK(d.packages == std::vector<std::string>{"eatmydata"});
  CHECK(d.deb_compression == "xz");
  CHECK_FALSE(d.check_valid_until);
}

TEST_CASE("optional keys take their defaults") {
  ChrootDefinition d = parse_chroot_definition(
      "suite = \"trixie\"\nmirror = \"http://m/debian\"\nkeyrings = []\ncomponents = "
      "[\"main\"]\ndeb_compression = \"zstd\"\n",
      "trixie.toml");
  CHECK(d.variant == "buildd");
  CHECK(d.packages.empty());
  CHECK(d.check_valid_until);
}

TEST_CASE("syntax errors name file and line") {
  CHECK(error_of("suite = \"a\"\nmirror = \n").find("chroots/x.toml:2:") != std::string::npos);
}

TEST_CASE("every problem of a definition is reported at once, with its line") {
  std::string e = error_of(
      "suite = \"x\"\nmirror = \"deb.debian.org\"\nkeyrings = [1]\ncomponents = "
      "[\"main\"]\ndeb_compression = \"gzip\"\ncolour = \"blue\"\ncheck_valid_until = \"no\"\n");
  CHECK(e.find("chroots/x.toml:2: mirror 'deb.debian.org' is not a URL") != std::string::npos);
  CHECK(e.find("chroots/x.toml:3: 'keyrings' must hold only strings") != std::string::npos);
  CHECK(e.find("chroots/x.toml:5: deb_compression must be") != std::string::npos);
  CHECK(e.find("chroots/x.toml:6: unknown key 'colour'") != std::string::npos);
  CHECK(e.find("chroots/x.toml:7: 'check_valid_until' must be true or false") !=
        std::string::npos);
}

TEST_CASE("missing required keys are named") {
  std::string e = error_of("suite = \"x\"\n");
  CHECK(e.find("missing key 'mirror'") != std::string::npos);
  CHECK(e.find("missing key 'keyrings'") != std::string::npos);
  CHECK(e.find("missing key 'deb_compression'") != std::string::npos);
}

TEST_CASE("a newer definition format is refused") {
  CHECK(error_of(std::string("format_version = 2\n") + (kGood + 19)).find("newer") !=
        std::string::npos);
}

TEST_CASE("an unknown suite lists the known ones") {
  TempDir dir("chroots-");
  write_file_atomic(dir.path() + "/buster.toml", kGood);
  write_file_atomic(dir.path() + "/trixie.toml", "x");
  CHECK(known_suites(dir.path()) == std::vector<std::string>{"buster", "trixie"});
  try {
    load_chroot_definition(dir.path(), "jessie");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("known suites: buster, trixie") != std::string::npos);
  }
  CHECK(load_chroot_definition(dir.path(), "buster").deb_compression == "xz");
  write_file_atomic(dir.path() + "/stretch.toml", kGood);
  CHECK_THROWS_WITH(load_chroot_definition(dir.path(), "stretch"),
                    Catch::Contains("named for 'stretch'"));
}

TEST_CASE("the shipped definitions parse and use the right .deb compression") {
  std::string dir = CLEANROOM_TEST_DATA "/../../chroots";
  // xz everywhere: what Debian's archive uses, and what lintian accepts.
  for (const char* suite : {"stretch", "buster", "bullseye", "bookworm", "trixie", "sid"}) {
    auto d = load_chroot_definition(dir, suite);
    CHECK(d.deb_compression == "xz");
  }
  for (const char* suite : {"bookworm", "trixie", "sid"})
    CHECK(load_chroot_definition(dir, suite).check_valid_until);
  for (const char* suite : {"stretch", "buster"}) {
    auto d = load_chroot_definition(dir, suite);
    CHECK(d.mirror == "http://archive.debian.org/debian");
    CHECK_FALSE(d.check_valid_until);
  }
}
