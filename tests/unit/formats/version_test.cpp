#include <fcntl.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/version.h"
#include "deb822_input_error.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

const std::string kCorpus = std::string(CLEANROOM_TEST_DATA) + "/version-corpus.txt";

int cmp(const char* a, const char* b) {
  int rc = compare_versions(parse_version(a), parse_version(b));
  return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

std::string syntax_error(const char* text) {
  return input_error_of([&] { parse_version(text); });
}

// Versions built to hit the corners of dpkg's ordering: epochs, '~' before
// the end, letters before other characters, digit runs with leading zeros.
// mt19937's output sequence is fixed by the standard, so the corpus is stable.
class VersionGenerator {
 public:
  explicit VersionGenerator(std::uint32_t seed) : rng_(seed) {}

  std::pair<std::string, std::string> pair() {
    for (;;) {
      std::string a = version();
      std::string b = pick(3) == 0 ? version() : mutate(a);
      try {
        parse_version(a);
        parse_version(b);
        return {a, b};
      } catch (const Error&) {
        // Mutations may produce an invalid version; draw again.
      }
    }
  }

 private:
  unsigned pick(unsigned n) { return static_cast<unsigned>(rng_() % n); }

  std::string number() {
    static const char* const numbers[] = {"0",  "1",   "2",   "9",  "10",
                                          "01", "001", "010", "99", "100"};
    return numbers[pick(10)];
  }

  std::string piece(bool upstream) {
    static const char letters[] = "aabzAZ";
    static const std::string upstream_seps = ".+~-:";
    static const std::string revision_seps = ".+~";
    const std::string& seps = upstream ? upstream_seps : revision_seps;
    switch (pick(4)) {
      case 0:
        return std::string(1, letters[pick(6)]);
      case 1:
        return std::string(1, seps[pick(static_cast<unsigned>(seps.size()))]);
      default:
        return number();
    }
  }

  std::string version() {
    std::string v;
    bool epoch = pick(4) == 0;
    if (epoch) v = std::to_string(pick(3)) + ":";
    std::string upstream = number();
    for (unsigned n = pick(5); n > 0; --n) {
      std::string p = piece(true);
      if (p == ":" && !epoch) p = ".";
      upstream += p;
    }
    v += upstream;
    if (pick(3) != 0) {
      v += "-" + number();
      for (unsigned n = pick(3); n > 0; --n) v += piece(false);
    }
    return v;
  }

  std::string mutate(std::string v) {
    std::size_t at = pick(static_cast<unsigned>(v.size()) + 1);
    switch (pick(5)) {
      case 0:
        return v.insert(at, "~");
      case 1:
        return v.insert(at, piece(false));
      case 2:
        return at < v.size() ? v.erase(at, 1) : v + "0";
      case 3:
        return v + piece(false);
      default:
        return at < v.size() ? v.replace(at, 1, number()) : v + "a";
    }
  }

  std::mt19937 rng_;
};

// Runs a shell loop over input lines and returns what it prints: one shell
// calling dpkg per line, because a process per call from here would be no
// faster and far noisier.
std::string shell_loop(const std::string& input, const char* script) {
  TempDir dir;
  write_file_atomic(dir.path() + "/input", input);
  UniqueFd in = open_fd(dir.path() + "/input", O_RDONLY);
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.stdin_fd = in.get();
  ProcessResult result = run_process(spec, true);
  REQUIRE(result.status == 0);
  return result.output;
}

// dpkg's "<", "=" or ">" for each pair.
std::vector<char> dpkg_compare(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string input;
  for (const auto& [a, b] : pairs) input += a + " " + b + "\n";
  std::string output = shell_loop(
      input,
      "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo '<'; "
      "elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo '='; else echo '>'; fi; done");
  std::vector<char> out;
  for (char c : output)
    if (c != '\n') out.push_back(c);
  REQUIRE(out.size() == pairs.size());
  return out;
}

char ours(const std::string& a, const std::string& b) {
  int rc = compare_versions(parse_version(a), parse_version(b));
  return rc < 0 ? '<' : rc > 0 ? '>' : '=';
}

}  // namespace

TEST_CASE("version parsing splits epoch, upstream and revision like dpkg") {
  Version v = parse_version(" 2:1.0-rc1-3~bpo12+1 ");
  CHECK(v.epoch == 2);
  CHECK(v.upstream == "1.0-rc1");
  CHECK(v.revision == "3~bpo12+1");
  CHECK(v.to_string() == "2:1.0-rc1-3~bpo12+1");
  CHECK(v.without_epoch() == "1.0-rc1-3~bpo12+1");
  CHECK(parse_version("0:1.0").to_string() == "1.0");
  CHECK(parse_version("1:2:3").upstream == "2:3");
  CHECK(parse_version("0:2:3").to_string() == "0:2:3");
  CHECK(parse_version("+1:2").epoch == 1);  // strtol accepts a sign, so dpkg does
  CHECK(parse_version("1.0").revision.empty());
}

TEST_CASE("version syntax errors carry dpkg's messages") {
  CHECK(syntax_error("") == "version '' has bad syntax: version string is empty");
  CHECK(syntax_error("1.0 2") ==
        "version '1.0 2' has bad syntax: version string has embedded spaces");
  CHECK(syntax_error(":1") == "version ':1' has bad syntax: epoch in version is empty");
  CHECK(syntax_error("a:1") == "version 'a:1' has bad syntax: epoch in version is empty");
  CHECK(syntax_error("1a:1") == "version '1a:1' has bad syntax: epoch in version is not number");
  CHECK(syntax_error("-1:1") == "version '-1:1' has bad syntax: epoch in version is negative");
  CHECK(syntax_error("99999999999:1") ==
        "version '99999999999:1' has bad syntax: epoch in version is too big");
  CHECK(syntax_error("1:") == "version '1:' has bad syntax: nothing after colon in version number");
  CHECK(syntax_error("1.0-") == "version '1.0-' has bad syntax: revision number is empty");
  CHECK(syntax_error("-1") == "version '-1' has bad syntax: version number is empty");
  CHECK(syntax_error("a1.0") ==
        "version 'a1.0' has bad syntax: version number does not start with digit");
  CHECK(syntax_error("1.0_1") ==
        "version '1.0_1' has bad syntax: invalid character in version number");
  CHECK(syntax_error("1.0-1_2") ==
        "version '1.0-1_2' has bad syntax: invalid character in revision number");
}

TEST_CASE("version ordering follows dpkg") {
  CHECK(cmp("1.0~rc1", "1.0") == -1);
  CHECK(cmp("1.0~~", "1.0~") == -1);
  CHECK(cmp("1.0", "1.0+b1") == -1);
  CHECK(cmp("1.0a", "1.0+") == -1);  // letters before other characters
  CHECK(cmp("1.0", "1.0a") == -1);
  CHECK(cmp("1.01", "1.1") == 0);  // digit runs compare numerically
  CHECK(cmp("1.10", "1.9") == 1);
  CHECK(cmp("1:0.1", "9.9") == 1);
  CHECK(cmp("0:1.0", "1.0") == 0);
  CHECK(cmp("1.0-1", "1.0-1~bpo1") == 1);
  CHECK(cmp("1.0", "1.0-0") == 0);
  CHECK(cmp("2.0-1", "10.0-1") == -1);
  CHECK(parse_version("1.0") < parse_version("1.0.1"));
  CHECK(parse_version("1.0") == parse_version("1.00"));
  CHECK(version_satisfies(parse_version("1.1"), VersionRelation::LaterEqual, parse_version("1.0")));
  CHECK_FALSE(
      version_satisfies(parse_version("1.1"), VersionRelation::Earlier, parse_version("1.0")));
  CHECK(version_satisfies(parse_version("1.0"), VersionRelation::Equal, parse_version("0:1.0")));
  CHECK(relation_symbol(VersionRelation::Later) == ">>");
}

TEST_CASE("version ordering agrees with dpkg on the checked-in corpus") {
  std::ifstream in(kCorpus);
  REQUIRE(in);
  std::string line;
  std::size_t checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string a, expected, b;
    REQUIRE(fields >> a >> expected >> b);
    INFO(line);
    CHECK(std::string(1, ours(a, b)) == expected);
    ++checked;
  }
  CHECK(checked >= 4000);
}

TEST_CASE("version ordering agrees with the installed dpkg on fresh pairs") {
  if (find_program("dpkg").empty()) {
    cleanroom::test::host_skip("dpkg is not installed");
    return;
  }
  VersionGenerator generator(20261125);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 300; ++i) pairs.push_back(generator.pair());
  std::vector<char> expected = dpkg_compare(pairs);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO(pairs[i].first << " vs " << pairs[i].second);
    CHECK(ours(pairs[i].first, pairs[i].second) == expected[i]);
  }
}

TEST_CASE("version syntax errors agree with the installed dpkg") {
  if (find_program("dpkg").empty()) {
    cleanroom::test::host_skip("dpkg is not installed");
    return;
  }
  // Short strings over the characters that matter to the parser. A leading
  // space keeps dpkg from reading "-1" as an option; both sides ignore it.
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789:-.+~aZ_ ";
  std::vector<std::string> inputs;
  std::string list;
  for (int i = 0; i < 300; ++i) {
    std::string v = " ";
    for (unsigned n = 1 + rng() % 6; n > 0; --n) v += alphabet[rng() % alphabet.size()];
    inputs.push_back(v);
    list += v + "\n";
  }
  std::istringstream dpkg(shell_loop(
      list,
      "while IFS= read -r v; do m=$(dpkg --compare-versions \"$v\" eq \"$v\" 2>&1 | head -n1); "
      "case $m in *'bad syntax: '*) echo \"${m#*bad syntax: }\" ;; *) echo ;; esac; done"));
  for (const std::string& v : inputs) {
    std::string expected;
    REQUIRE(std::getline(dpkg, expected));
    std::string ours;
    try {
      parse_version(v);
    } catch (const Error& e) {
      ours = e.what();
      ours = ours.substr(ours.find("bad syntax: ") + 12);
    }
    INFO("version '" << v << "'");
    CHECK(ours == expected);
  }
}

// Run by hand to rebuild tests/data/version-corpus.txt with the installed dpkg:
//   unit_formats "[.regenerate-version-corpus]"
TEST_CASE("regenerate the version corpus", "[.regenerate-version-corpus]") {
  VersionGenerator generator(1);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 5000; ++i) pairs.push_back(generator.pair());
  std::vector<char> expected = dpkg_compare(pairs);
  std::string out =
      "# Debian version pairs and dpkg --compare-versions' verdict: A <|=|> B.\n"
      "# Generated by the hidden test [.regenerate-version-corpus] in "
      "tests/unit/formats/test_version.cpp.\n";
  for (std::size_t i = 0; i < pairs.size(); ++i)
    out += pairs[i].first + " " + expected[i] + " " + pairs[i].second + "\n";
  write_file_atomic(kCorpus, out);
}
