#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/store/manifest.h"

using namespace cleanroom;
using namespace cleanroom::store;

namespace {
std::vector<ManifestEntry> sample() {
  return {
      {"usr/bin/env", 'f', 0755, 0, 0, 4, std::string(64, 'e'), ""},
      {".", 'd', 0755, 0, 0, 0, "", ""},
      {"bin", 'l', 0777, 0, 0, 0, "", "usr/bin"},
      {"var/mail", 'd', 02775, 0, 8, 0, "", ""},
      {"odd name\twith\ntabs\\x", 'f', 0644, 100, 65534, 0, std::string(64, '0'), ""},
      {"usr/bin/perl5", 'h', 0755, 0, 0, 0, "", "usr/bin/perl"},
  };
}
}  // namespace

TEST_CASE("manifest round-trips through its text form, sorted by path") {
  std::string text = encode_manifest(sample());
  CHECK(text.rfind("cleanroom-manifest 1\n", 0) == 0);
  auto decoded = decode_manifest(text, "manifest");
  REQUIRE(decoded.size() == 6);
  CHECK(decoded[0].path == ".");
  auto expected = sample();
  for (const auto& e : expected) {
    auto it = std::find_if(decoded.begin(), decoded.end(),
                           [&](const ManifestEntry& d) { return d.path == e.path; });
    REQUIRE(it != decoded.end());
    CHECK(*it == e);
  }
  CHECK(encode_manifest(decoded) == text);
}

TEST_CASE("manifest lines hold the documented fields") {
  std::string text = encode_manifest({{"var/mail", 'd', 02775, 0, 8, 0, "", ""}});
  CHECK(text == "cleanroom-manifest 1\nvar/mail\td\t2775\t0\t8\t0\t-\t-\n");
}

TEST_CASE("field escaping covers tabs, newlines, backslashes and a lone '-'") {
  CHECK(escape_manifest_field("a\tb\nc\\d") == "a\\x09b\\x0ac\\x5cd");
  CHECK(escape_manifest_field("-") == "\\x2d");
  CHECK(escape_manifest_field("a-b") == "a-b");
  CHECK(unescape_manifest_field(escape_manifest_field("x y\xff")) == "x y\xff");
  CHECK(unescape_manifest_field("\\x4") == "\\x4");  // truncated escape stays literal
}

TEST_CASE("decoding names file and line of what is wrong") {
  auto error_of = [](const std::string& text) {
    try {
      decode_manifest(text, "m");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("") .find("m:0: empty") != std::string::npos);
  CHECK(error_of("something else\n").find("m:1: not a cleanroom manifest") != std::string::npos);
  CHECK(error_of("cleanroom-manifest 2\n").find("newer") != std::string::npos);
  CHECK(error_of("cleanroom-manifest 1\na\tf\t0644\n").find("m:2: expected 8") !=
        std::string::npos);
  CHECK(error_of("cleanroom-manifest 1\na\tz\t0644\t0\t0\t0\t-\t-\n").find("m:2: unknown entry type") !=
        std::string::npos);
  CHECK(error_of("cleanroom-manifest 1\na\tf\t0689\t0\t0\t0\t-\t-\n").find("bad mode") !=
        std::string::npos);
}

TEST_CASE("comparison names every added, removed and changed path") {
  auto recorded = sample();
  auto actual = sample();
  actual[0].sha256 = std::string(64, 'f');             // usr/bin/env content
  actual[3].mode = 0755;                                 // var/mail mode
  actual.erase(actual.begin() + 2);                      // bin removed
  actual.push_back({"etc/evil", 'f', 0644, 0, 0, 1, std::string(64, '1'), ""});
  auto changes = compare_manifests(recorded, actual);
  REQUIRE(changes.size() == 4);
  CHECK(changes[0].path == "bin");
  CHECK(changes[0].what == "removed");
  CHECK(changes[1].path == "etc/evil");
  CHECK(changes[1].what == "added");
  CHECK(changes[2].path == "usr/bin/env");
  CHECK(changes[2].what == "content");
  CHECK(changes[3].path == "var/mail");
  CHECK(changes[3].what == "mode 2775 -> 0755");
  CHECK(compare_manifests(recorded, recorded).empty());
}
