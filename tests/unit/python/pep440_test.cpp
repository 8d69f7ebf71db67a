#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cleanroom/base/error.h"
#include "cleanroom/python/pep440_version.h"
#include "cleanroom/python/specifier.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {
Version v(const char* text) { return Version::parse_or_throw(text); }
}  // namespace

TEST_CASE("pep440 versions normalize like the spec says") {
  CHECK(v("1.0").str() == "1.0");
  CHECK(v("v1.0").str() == "1.0");
  CHECK(v("1.0-ALPHA.1").str() == "1.0a1");
  CHECK(v("1.0beta").str() == "1.0b0");
  CHECK(v("1.0c2").str() == "1.0rc2");
  CHECK(v("1.0preview3").str() == "1.0rc3");
  CHECK(v("1.0-1").str() == "1.0.post1");
  CHECK(v("1.0.rev2").str() == "1.0.post2");
  CHECK(v("1.0_post").str() == "1.0.post0");
  CHECK(v("1.0-dev").str() == "1.0.dev0");
  CHECK(v("2!1.0.post3.dev4+Ubuntu_01.x").str() == "2!1.0.post3.dev4+ubuntu.1.x");
  CHECK(v(" 1.2.3 ").str() == "1.2.3");
  CHECK(v("2024.01.05").str() == "2024.1.5");
}

TEST_CASE("pep440 rejects what is not a version") {
  for (const char* bad : {"", "1.", ".1", "1.0a1a", "french toast", "1.0+", "1.0+a..b", "1.0-",
                          "1!", "1.0 2", "99999999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(Version::parse(bad).has_value());
  }
  CHECK_THROWS_AS(Version::parse_or_throw("x.y"), Error);
}

TEST_CASE("pep440 ordering follows the table of known orderings") {
  // Strictly increasing, taken from PEP 440's examples and packaging's tests.
  const char* ordered[] = {
      "1.0.dev456",       "1.0a1",         "1.0a2.dev456", "1.0a12.dev456",
      "1.0a12",           "1.0b1.dev456",  "1.0b2",        "1.0b2.post345.dev456",
      "1.0b2.post345",    "1.0rc1.dev456", "1.0rc1",       "1.0",
      "1.0+abc.5",        "1.0+abc.7",     "1.0+5",        "1.0.post456.dev34",
      "1.0.post456",      "1.0.15",        "1.1.dev1",     "1.1",
      "1.2+123abc",       "1.2+123abc456", "1.2+abc",      "1.2+abc123",
      "1.2+abc123def",    "1.2+1234.abc",  "1.2+123456",   "1.2.r32+123456",
      "1.2.rev33+123456", "1!1.0.dev1",    "1!1.0",
  };
  const std::size_t n = std::size(ordered);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      INFO(ordered[i] << " vs " << ordered[j]);
      CHECK((compare(v(ordered[i]), v(ordered[j])) < 0) == (i < j));
      CHECK((v(ordered[i]) == v(ordered[j])) == (i == j));
    }
  }
}

TEST_CASE("pep440 trailing zeros do not count, local versions do") {
  CHECK(v("1.0") == v("1.0.0"));
  CHECK(v("1") == v("1.0.0.0"));
  CHECK(v("1.0+a") > v("1.0"));
  CHECK(v("1.0+1") > v("1.0+a"));
  CHECK(v("1.0+a.1") > v("1.0+a"));
  CHECK(v("0!1.0") == v("1.0"));
}

namespace {
bool sat(const char* spec, const char* version, bool pre = false) {
  return SpecifierSet::parse(spec).contains(v(version), pre);
}
}  // namespace

TEST_CASE("specifiers match per PEP 440") {
  CHECK(sat("==1.0", "1.0.0"));
  CHECK(sat("==1.0", "1.0+local"));
  CHECK_FALSE(sat("==1.0+local", "1.0"));
  CHECK(sat("==1.0+local", "1.0+local"));
  CHECK(sat("==1.2.*", "1.2.0"));
  CHECK(sat("==1.2.*", "1.2.9.post1"));
  CHECK(sat("==1.2.*", "1.2"));
  CHECK(sat("==1.*", "1"));
  CHECK_FALSE(sat("==1.2.*", "1.3"));
  CHECK_FALSE(sat("==1.2.*", "1.20"));
  CHECK(sat("!=1.2.*", "1.3"));
  CHECK_FALSE(sat("!=1.2.*", "1.2.5"));
  CHECK(sat("~=1.4.5", "1.4.9"));
  CHECK_FALSE(sat("~=1.4.5", "1.5.0"));
  CHECK_FALSE(sat("~=1.4.5", "1.4.4"));
  CHECK(sat("~=2.2", "2.9"));
  CHECK_FALSE(sat("~=2.2", "3.0"));
  CHECK(sat("~=1.4.5a4", "1.4.5", true));
  CHECK(sat("~=1.4.5a4", "1.4.6"));
  CHECK_FALSE(sat("~=1.4.5a4", "1.5"));
  CHECK(sat(">=1.0,<2", "1.9.9"));
  CHECK_FALSE(sat(">=1.0,<2", "2.0"));
  CHECK_FALSE(sat("<2.0", "2.0rc1", true));
  CHECK(sat("<2.0rc2", "2.0rc1", true));
  CHECK_FALSE(sat(">1.7", "1.7.post1"));
  CHECK(sat(">1.7.post2", "1.7.post3"));
  CHECK_FALSE(sat(">1.7", "1.7+local"));
  CHECK(sat(">1.7", "1.7.1"));
  CHECK(sat("<=1.0", "1.0+local"));
  CHECK(sat("===1.0", "1.0"));
  CHECK_FALSE(sat("===1.0", "1.0.0"));
  CHECK(sat("", "7"));
}

TEST_CASE("pre-releases match only when allowed or named") {
  CHECK_FALSE(sat(">=1.0", "2.0b1"));
  CHECK(sat(">=1.0", "2.0b1", true));
  CHECK(sat(">=1.0b1", "2.0b1"));
  CHECK(sat("==2.0.dev3", "2.0.dev3"));
  CHECK_FALSE(sat("!=1.0", "2.0a1"));
}

TEST_CASE("bad specifiers are rejected with the reason") {
  auto message = [](const char* text) {
    try {
      SpecifierSet::parse(text);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message("~=1"), Catch::Contains("two release numbers"));
  CHECK_THAT(message(">=1.*"), Catch::Contains("wildcard"));
  CHECK_THAT(message("==1.0a1.*"), Catch::Contains("wildcard"));
  CHECK_THAT(message(">=1.0+loc"), Catch::Contains("local"));
  CHECK_THAT(message("1.0"), Catch::Contains("operator"));
  CHECK_THAT(message(">=1.0,"), Catch::Contains("no comparison operator"));
  CHECK_THAT(message("==foo"), Catch::Contains("not a valid version"));
}

TEST_CASE("specifier sets print canonically") {
  CHECK(SpecifierSet::parse(" <2 , >=1.0.0 ").str() == "<2,>=1.0.0");
  CHECK(SpecifierSet::parse("==1.2.*").str() == "==1.2.*");
}

TEST_CASE("pep440 agrees with packaging on a table of orderings and specifier matches") {
  std::ifstream in(std::string(CLEANROOM_TEST_DATA) + "/python/pep440-oracle.txt");
  REQUIRE(in);
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    INFO(line);
    if (kind == "cmp") {
      std::string a, b;
      int expected = 0;
      fields >> a >> b >> expected;
      auto order = compare(v(a.c_str()), v(b.c_str()));
      CHECK((order < 0 ? -1 : (order > 0 ? 1 : 0)) == expected);
    } else {
      std::string spec, version;
      int pre = 0, expected = 0;
      fields >> spec >> version >> pre >> expected;
      CHECK(SpecifierSet::parse(spec).contains(v(version.c_str()), pre != 0) == (expected != 0));
    }
    ++checked;
  }
  CHECK(checked > 5000);
}
