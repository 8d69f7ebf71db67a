#include "cleanroom/python/requirement.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>

#include "cleanroom/base/error.h"
#include "cleanroom/python/marker.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

TEST_CASE("pep503 name normalization") {
  CHECK(normalize_name("Oslo.Config") == "oslo-config");
  CHECK(normalize_name("zope__interface") == "zope-interface");
  CHECK(normalize_name("A-_.-b") == "a-b");
  CHECK(is_valid_name("oslo.config"));
  CHECK_FALSE(is_valid_name("-foo"));
  CHECK_FALSE(is_valid_name("foo-"));
  CHECK_FALSE(is_valid_name("fo o"));
}

TEST_CASE("requirements parse names, extras, specifiers and markers") {
  auto r = Requirement::parse("Oslo.Config[Fixtures, test_x] >=9.0,<10 ; python_version>='3.8'");
  CHECK(r.name == "Oslo.Config");
  CHECK(r.key == "oslo-config");
  CHECK(r.extras == std::set<std::string>{"fixtures", "test-x"});
  CHECK(r.specifiers.str() == "<10,>=9.0");
  REQUIRE(r.marker);
  CHECK(r.str() == "oslo-config[fixtures,test-x]<10,>=9.0; python_version >= \"3.8\"");

  auto p = Requirement::parse("six (==1.16.0)");
  CHECK(p.specifiers.str() == "==1.16.0");
  CHECK(Requirement::parse("pbr").specifiers.empty());
}

TEST_CASE("requirements refuse URLs and paths as not allowed offline") {
  CHECK_THAT(input_error_of([] { Requirement::parse("foo @ https://example.org/foo.whl"); }),
             Catch::Contains("not allowed offline"));
  CHECK_THAT(input_error_of([] { Requirement::parse("https://example.org/foo.tar.gz"); }),
             Catch::Contains("not allowed offline"));
  CHECK_THAT(input_error_of([] { Requirement::parse("./local/pkg"); }),
             Catch::Contains("not allowed offline"));
  CHECK_THAT(input_error_of([] { Requirement::parse("foo[bar"); }), Catch::Contains("']'"));
  CHECK_THAT(input_error_of([] { Requirement::parse("foo >=1.0,,"); }),
             Catch::Contains("foo >=1.0,,"));
  CHECK_THAT(input_error_of([] { Requirement::parse("foo; "); }),
             Catch::Contains("nothing after ';'"));
}

TEST_CASE("markers evaluate against the target environment") {
  auto env = MarkerEnvironment::linux_cpython("3.11.2", "aarch64");
  auto holds = [&](const char* text) { return Marker::parse(text).evaluate(env); };
  CHECK(holds("python_version >= '3.8'"));
  CHECK(holds("python_version > '3.9'"));  // version order, not string order
  CHECK_FALSE(holds("python_version < '3.10'"));
  CHECK(holds("python_full_version == '3.11.2'"));
  CHECK(holds("python_version == '3.11.*'"));
  CHECK(holds("sys_platform == 'linux' and platform_machine == 'aarch64'"));
  CHECK_FALSE(holds("sys_platform == 'win32' or os_name == 'nt'"));
  CHECK(holds(
      "(sys_platform == 'win32' or os_name == 'posix') and implementation_name == 'cpython'"));
  CHECK(holds("'linux' in sys_platform"));
  CHECK(holds("platform_system not in 'Windows Darwin'"));
  CHECK(holds("'3.6' < python_version"));
  CHECK_FALSE(holds("extra == 'test'"));
  CHECK(Marker::parse("extra == 'Te_st'").evaluate(env.with_extra("te-st")));
  CHECK(holds("platform_python_implementation != 'PyPy'"));
  CHECK(holds("sys.platform == \"linux\""));
}

TEST_CASE("bad markers are reported with the reason") {
  CHECK_THAT(input_error_of([] { Marker::parse("python_versio >= '3'"); }),
             Catch::Contains("unknown variable 'python_versio'"));
  CHECK_THAT(input_error_of([] { Marker::parse("python_version >= '3"); }),
             Catch::Contains("unterminated"));
  CHECK_THAT(input_error_of([] { Marker::parse("(python_version >= '3'"); }),
             Catch::Contains("')'"));
  CHECK_THAT(input_error_of([] { Marker::parse("'a' == 'b'"); }), Catch::Contains("variable"));
  CHECK_THAT(input_error_of([] { Marker::parse("os_name not 'x'"); }), Catch::Contains("'in'"));
  auto env = MarkerEnvironment::linux_cpython("3.11.2");
  CHECK_THAT(input_error_of([&] { Marker::parse("os_name ~= 'posix'").evaluate(env); }),
             Catch::Contains("undefined"));
}

TEST_CASE("markers print normalized") {
  CHECK(Marker::parse("python_version<'3.8'and(os_name=='nt'or os_name=='posix')").str() ==
        "python_version < \"3.8\" and (os_name == \"nt\" or os_name == \"posix\")");
}

TEST_CASE("markers agree with packaging on a table of environments and extras") {
  std::ifstream in(std::string(CLEANROOM_TEST_DATA) + "/python/marker-oracle.txt");
  REQUIRE(in);
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    INFO(line);
    std::size_t a = line.find('|'), b = line.find('|', a + 1), c = line.rfind('|');
    std::string env_name = line.substr(0, a);
    std::string extra = line.substr(a + 1, b - a - 1);
    std::string marker = line.substr(b + 1, c - b - 1);
    bool expected = line.substr(c + 1) == "1";
    std::size_t slash = env_name.find('/');
    auto env =
        MarkerEnvironment::linux_cpython(env_name.substr(0, slash), env_name.substr(slash + 1))
            .with_extra(extra);
    CHECK(Marker::parse(marker).evaluate(env) == expected);
    ++checked;
  }
  CHECK(checked > 200);
}
