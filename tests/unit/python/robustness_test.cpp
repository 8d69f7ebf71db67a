// Every parser of untrusted text either returns or throws cleanroom::Error:
// no other exception, crash or hang, on seeded random inputs built from the
// characters each grammar cares about (run under the sanitizer build too).
#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "cleanroom/base/error.h"
#include "cleanroom/python/distribution.h"
#include "cleanroom/python/entry_points.h"
#include "cleanroom/python/marker.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/requirement.h"
#include "cleanroom/python/requirements_file.h"
#include "cleanroom/python/wheel_name.h"
#include "cleanroom/python/wheelhouse_lock.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

// Random text from fragments that the grammars treat specially, so the
// inputs reach deep into the parsers instead of failing on the first byte.
std::string random_text(std::mt19937& rng, const std::vector<std::string>& fragments,
                        std::size_t max_parts) {
  std::uniform_int_distribution<std::size_t> parts(0, max_parts);
  std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
  std::string out;
  for (std::size_t n = parts(rng); n > 0; --n) out += fragments[pick(rng)];
  return out;
}

struct Outcomes {
  int accepted = 0, refused = 0;
};

// Parsed, or refused with cleanroom::Error: both count; anything else fails.
void survives(Outcomes& outcomes, const std::function<void()>& fn, const std::string& input) {
  INFO(input);
  try {
    fn();
    ++outcomes.accepted;
  } catch (const Error&) {
    ++outcomes.refused;
  } catch (const std::exception& e) {
    FAIL("unexpected exception: " << e.what());
  }
}

const std::vector<std::string> kRequirementBits = {
    "a",      "Foo",  "1",     "0",     ".",
    "-",      "_",    "!",     "+",     "*",
    "==",     "!=",   "~=",    "<",     ">",
    "<=",     ">=",   "===",   ",",     ";",
    " ",      "[",    "]",     "(",     ")",
    "'",      "\"",   "@",     "://",   "and",
    " or ",   " in ", " not ", "extra", "python_version",
    "rc",     "post", "dev",   "a1",    "\\",
    "#",      "\n",   "-r ",   "-c ",   "--hash=sha256:",
    "${X}",   "\t",   "\r",    "\xff",  "sys_platform",
    "os_name"};

const std::vector<std::string> kRecipeBits = {"kind",
                                              "=",
                                              "\"",
                                              "venv",
                                              "wheelhouse",
                                              "name",
                                              "version",
                                              "[",
                                              "]",
                                              "{",
                                              "}",
                                              ",",
                                              "\n",
                                              " ",
                                              "requirements",
                                              "links",
                                              "target",
                                              "link",
                                              "test",
                                              "commands",
                                              "timeout",
                                              "1",
                                              "-1",
                                              "#",
                                              "'",
                                              "true",
                                              "[test]",
                                              "[maintainer_scripts]",
                                              "postinst",
                                              "format",
                                              "x.y",
                                              "/opt",
                                              "\\",
                                              "\"\"\"",
                                              "=[",
                                              "maintainer",
                                              "<a@b>",
                                              "snapshot",
                                              "sources",
                                              "depends",
                                              "1.5"};

const std::vector<std::string> kLockBits = {"{",
                                            "}",
                                            "[",
                                            "]",
                                            "\"format\"",
                                            ":",
                                            "1",
                                            "2",
                                            ",",
                                            "\"distributions\"",
                                            "\"name\"",
                                            "\"a\"",
                                            "\"filename\"",
                                            "\"a-1-py3-none-any.whl\"",
                                            "\"sha256\"",
                                            "\"version\"",
                                            "null",
                                            "1.5",
                                            "\"1\""};

}  // namespace

TEST_CASE("python parsers survive random input") {
  std::mt19937 rng(20240101);
  Outcomes outcomes;
  for (int i = 0; i < 3000; ++i) {
    std::string s = random_text(rng, kRequirementBits, 12);
    survives(outcomes, [&] { Version::parse(s); }, s);
    survives(outcomes, [&] { SpecifierSet::parse(s); }, s);
    survives(outcomes, [&] { Requirement::parse(s); }, s);
    survives(
        outcomes, [&] {
          Marker m = Marker::parse(s);
          m.evaluate(MarkerEnvironment::linux_cpython("3.11.2"));
          (void)m.str();
        },
        s);
    survives(outcomes, [&] { parse_requirements_text(s, "fuzz.txt"); }, s);
    survives(outcomes, [&] { parse_core_metadata("Name: x\n" + s, "fuzz"); }, s);
    survives(outcomes, [&] { parse_entry_points(s, "fuzz"); }, s);
    survives(outcomes, [&] { WheelName::parse(s + ".whl"); }, s);
    survives(outcomes, [&] { SdistName::parse(s + ".tar.gz"); }, s);
    survives(outcomes, [&] { parse_lock(s, "fuzz.lock"); }, s);
  }
  for (int i = 0; i < 3000; ++i) {
    std::string s = "{\"format\": 1, \"distributions\": [" + random_text(rng, kLockBits, 30);
    survives(outcomes, [&] { parse_lock(s, "fuzz.lock"); }, s);
  }
  for (int i = 0; i < 1500; ++i) {
    std::string s = random_text(rng, kRecipeBits, 40);
    survives(outcomes, [&] { parse_recipe(s, "/fuzz/recipe.toml"); }, s);
  }
  // The generators must reach both sides of the grammars, or the test proves little.
  CHECK(outcomes.accepted > 1000);
  CHECK(outcomes.refused > 1000);
}
