#include <catch2/catch.hpp>
#include <fstream>

#include "cleanroom/python/wheel_contents.h"
#include "cleanroom/python/wheel_name.h"
#include "cleanroom/python/wheel_tags.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

TEST_CASE("wheel file names parse with build tags and compressed tag sets") {
  auto w = WheelName::parse("Oslo.Config-9.0.0-py3-none-any.whl");
  CHECK(w.key == "oslo-config");
  CHECK(w.version.str() == "9.0.0");
  CHECK_FALSE(w.build_number);
  CHECK(w.platform_independent());

  auto m = WheelName::parse(
      "MarkupSafe-2.1.3-1local-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  CHECK(m.key == "markupsafe");
  CHECK(m.build_number == 1u);
  CHECK(m.build_tag == "1local");
  CHECK(m.platform_tags ==
        std::vector<std::string>{"manylinux_2_17_x86_64", "manylinux2014_x86_64"});
  CHECK_FALSE(m.platform_independent());

  auto six = WheelName::parse("six-1.16.0-py2.py3-none-any.whl");
  CHECK(six.python_tags == std::vector<std::string>{"py2", "py3"});
}

TEST_CASE("bad wheel file names say why") {
  CHECK_THAT(input_error_of([] { WheelName::parse("foo-1.0.tar.gz"); }),
             Catch::Contains("does not end in .whl"));
  CHECK_THAT(input_error_of([] { WheelName::parse("foo-1.0-py3-any.whl"); }),
             Catch::Contains("4 dash-separated parts"));
  CHECK_THAT(input_error_of([] { WheelName::parse("foo-one-py3-none-any.whl"); }),
             Catch::Contains("'one' is not a PEP 440 version"));
  CHECK_THAT(input_error_of([] { WheelName::parse("foo-1.0-x1-py3-none-any.whl"); }),
             Catch::Contains("build tag 'x1'"));
  CHECK_THAT(input_error_of([] { WheelName::parse("foo-1.0-py3..py2-none-any.whl"); }),
             Catch::Contains("empty tag"));
}

TEST_CASE("sdist file names split name from version") {
  auto s = SdistName::parse("oslo.config-9.0.0.tar.gz");
  CHECK(s.key == "oslo-config");
  CHECK(s.version.str() == "9.0.0");
  CHECK(SdistName::parse("python-dateutil-2.8.2.tar.gz").key == "python-dateutil");
  CHECK(SdistName::parse("foo-2fa-1.0.zip").key == "foo-2fa");
  CHECK(SdistName::parse("legacy-1.0-1.tar.bz2").version.str() == "1.0.post1");
  CHECK(SdistName::looks_like_sdist("x-1.tgz"));
  CHECK_FALSE(SdistName::looks_like_sdist("x-1-py3-none-any.whl"));
  CHECK_THAT(input_error_of([] { SdistName::parse("noversion.tar.gz"); }),
             Catch::Contains("rename"));
  CHECK_THAT(input_error_of([] { SdistName::parse("foo-1.0.rpm"); }),
             Catch::Contains("not an sdist"));
}

TEST_CASE("supported tags match pip's get_supported() for cp311 on bookworm x86_64") {
  std::ifstream in(std::string(CLEANROOM_TEST_DATA) +
                   "/python/pip-tags-cp311-x86_64-glibc2.36.txt");
  REQUIRE(in);
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') expected.push_back(line);
  }
  REQUIRE(expected.size() > 100);
  std::vector<std::string> actual;
  for (const auto& t : WheelTarget{}.supported_tags()) {
    actual.push_back(t.interpreter + "-" + t.abi + "-" + t.platform);
  }
  CHECK(actual == expected);
}

TEST_CASE("wheel compatibility and preference against a target") {
  WheelTarget bookworm;
  auto tags = bookworm.supported_tags();
  auto rank = [&](const char* f) { return wheel_rank(WheelName::parse(f), tags); };
  CHECK(rank("a-1-py3-none-any.whl"));
  CHECK(rank("a-1-cp311-cp311-manylinux2014_x86_64.whl"));
  CHECK(rank("a-1-cp37-abi3-manylinux_2_17_x86_64.whl"));
  CHECK(rank("a-1-cp311-cp311-linux_x86_64.whl"));
  CHECK_FALSE(rank("a-1-cp312-cp312-manylinux2014_x86_64.whl"));
  CHECK_FALSE(rank("a-1-cp311-cp311-manylinux_2_38_x86_64.whl"));  // needs a newer glibc
  CHECK_FALSE(rank("a-1-cp311-cp311-manylinux2014_aarch64.whl"));
  CHECK_FALSE(rank("a-1-cp311-cp311-win_amd64.whl"));
  CHECK_FALSE(rank("a-1-py2-none-any.whl"));
  CHECK(*rank("a-1-cp311-cp311-manylinux2014_x86_64.whl") < *rank("a-1-py3-none-any.whl"));
  CHECK(*rank("a-1-cp311-cp311-manylinux_2_28_x86_64.whl") <
        *rank("a-1-cp311-cp311-manylinux2014_x86_64.whl"));

  WheelTarget arm{3, 11, "aarch64", 2, 36};
  auto arm_plats = arm.platforms();
  CHECK(arm_plats.front() == "manylinux_2_36_aarch64");
  CHECK(arm_plats[arm_plats.size() - 3] == "manylinux_2_17_aarch64");
  CHECK(arm_plats[arm_plats.size() - 2] == "manylinux2014_aarch64");
  CHECK(arm_plats.back() == "linux_aarch64");
}

TEST_CASE("platform-tagged wheels without compiled modules are reported") {
  auto native = WheelName::parse("pyyaml-6.0.1-cp311-cp311-linux_x86_64.whl");
  std::vector<std::string> pure_members{"yaml/__init__.py", "yaml/cyaml.py",
                                        "PyYAML-6.0.1.dist-info/METADATA"};
  std::vector<std::string> compiled_members = pure_members;
  compiled_members.push_back("yaml/_yaml.cpython-311-x86_64-linux-gnu.so");

  auto problem = pure_fallback_problem(native, pure_members, {});
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("'pyyaml-6.0.1-cp311-cp311-linux_x86_64.whl' is tagged for "
                                       "linux_x86_64 but holds no compiled module"));
  CHECK_THAT(*problem, Catch::Contains("allow_pure_fallback"));
  CHECK_FALSE(pure_fallback_problem(native, compiled_members, {}));
  CHECK_FALSE(pure_fallback_problem(native, pure_members, {"pyyaml"}));
  CHECK_FALSE(
      pure_fallback_problem(WheelName::parse("six-1.16.0-py2.py3-none-any.whl"), {"six.py"}, {}));
  CHECK(is_compiled_member("pkg.libs/libz-abc.so.1.2.13"));
  CHECK(is_compiled_member("m.pyd"));
  CHECK_FALSE(is_compiled_member("docs/so.txt"));
  CHECK_FALSE(is_compiled_member("pkg/resolve.py"));
}

TEST_CASE("wheel targets come from snapshot facts") {
  auto t = WheelTarget::for_snapshot("3.11.2", "arm64", "2.36-9+deb12u4");
  CHECK(t.python_minor == 11);
  CHECK(t.machine == "aarch64");
  CHECK(t.glibc_minor == 36);
  auto trixie = WheelTarget::for_snapshot("3.13.5", "amd64", "2.41");
  CHECK(trixie.supported_tags().front() == Tag{"cp313", "cp313", "manylinux_2_41_x86_64"});
  CHECK(machine_for_debian_arch("ppc64el") == "ppc64le");
  CHECK_THAT(input_error_of([] { WheelTarget::for_snapshot("3", "amd64", "2.36"); }),
             Catch::Contains("'3'"));
  CHECK_THAT(input_error_of([] { WheelTarget::for_snapshot("3.11.2", "hurd-i386", "2.36"); }),
             Catch::Contains("hurd-i386"));
  CHECK_THAT(input_error_of([] { WheelTarget::for_snapshot("3.11.2", "amd64", "two"); }),
             Catch::Contains("glibc version 'two'"));
}
