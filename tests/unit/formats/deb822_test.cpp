#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_input_error.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

std::string input_error(std::string_view text, const Deb822Options& options = {}) {
  return input_error_of([&] { parse_deb822(text, "debian/control", options); });
}

const char* const kControl =
    "Source: hello\n"
    "Section: utils\n"
    "Build-Depends: debhelper-compat (= 13),\n"
    "               libfoo-dev\n"
    "\n"
    "# binary package\n"
    "Package: hello\n"
    "Architecture: any\n"
    "Description: greet the world\n"
    " A longer text.\n"
    " .\n"
    " Second paragraph.\n";

}  // namespace

TEST_CASE("deb822 paragraphs, fields and continuation lines") {
  Deb822File file = parse_deb822(kControl, "debian/control");
  REQUIRE(file.paragraphs.size() == 2);
  const Deb822Paragraph& source = file.paragraphs[0];
  CHECK(source.fields().size() == 3);
  CHECK(source.required("Source") == "hello");
  CHECK(source.get("build-depends") == "debhelper-compat (= 13),\n               libfoo-dev");
  CHECK(source.origin() == "debian/control:1");
  const Deb822Paragraph& binary = file.paragraphs[1];
  CHECK(binary.origin() == "debian/control:7");
  CHECK(binary.find("PACKAGE")->line == 7);
  CHECK(binary.required("Description") ==
        "greet the world\n A longer text.\n .\n Second paragraph.");
  CHECK(deb822_lines(binary.required("Description")) ==
        std::vector<std::string>{"A longer text.", "", "Second paragraph."});
  CHECK_FALSE(binary.has("Source"));
  CHECK(binary.fields()[0].name == "Package");
  CHECK(binary.fields()[2].name == "Description");
}

TEST_CASE("deb822 writes well-formed input back byte for byte") {
  const char* inputs[] = {
      kControl,
      "A: b\n",
      "\n\n# leading comment\nA:b\n  c  \n\n\n\nB:    x\t\n# trailing\n\n",
      "A: b\n# inside\n c\n# after\n\nB: c",
      "Files:\n abc 12 f.dsc\n def 34 f.tar.xz\n",
  };
  for (const char* input : inputs) {
    INFO(input);
    CHECK(write_deb822(parse_deb822(input, "x")) == input);
  }
}

TEST_CASE("deb822 fields changed in code are written canonically in place") {
  Deb822File file = parse_deb822("A:   1  \nB:2\n\nC: 3\n", "x");
  file.paragraphs[0].set("a", "one");
  file.paragraphs[0].set("New", "multi\n line");
  file.paragraphs[1].set("Files", "\n abc 1 f");
  CHECK(write_deb822(file) == "A: one\nB:2\nNew: multi\n line\n\nC: 3\nFiles:\n abc 1 f\n");
  CHECK(file.paragraphs[0].remove("B"));
  CHECK_FALSE(file.paragraphs[0].remove("B"));
  CHECK(write_deb822(file.paragraphs[0]) == "A: one\nNew: multi\n line\n");
  CHECK_THROWS_AS(file.paragraphs[0].set("Bad Name", "x"), Error);
  CHECK_THROWS_AS(file.paragraphs[0].set("X", "a\nnot indented"), Error);
  CHECK_THROWS_AS(file.paragraphs[0].set("X", "a\n \n b"), Error);
  CHECK(deb822_multiline("syn", {"a", "", "b"}) == "syn\n a\n .\n b");
}

TEST_CASE("deb822 errors name the file, the line and the fix") {
  CHECK(input_error("A: b\n\n continued\n") ==
        "debian/control:3: continuation line before any field; indent it under a field or "
        "remove the leading space");
  CHECK(input_error(" A: b\n").starts_with("debian/control:1: continuation line"));
  CHECK(input_error("A: b\nB: c\na: d\n") ==
        "debian/control:3: duplicate field 'a' (first at line 1); remove one of them");
  CHECK(input_error("A: b\nno colon here\n")
            .starts_with("debian/control:2: 'no colon here' is not a field"));
  CHECK(input_error("A b: c\n")
            .starts_with("debian/control:1: field name 'A b' contains whitespace"));
  CHECK(input_error(": c\n").starts_with("debian/control:1: field without a name"));
  CHECK(input_error("A: b\r\nB: c\r\n") ==
        "debian/control:1: line ends with a carriage return (DOS line endings); convert the file "
        "to Unix line endings, e.g. with dos2unix");
  CHECK(input_error("A: b\n# c\n", {.allow_comments = false, .allow_signed = true})
            .starts_with("debian/control:2: comment line"));
  Deb822File file = parse_deb822("A: b\n", "debian/control");
  try {
    file.paragraphs[0].required("Version");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "debian/control:1: missing field 'Version'; add it to the paragraph");
  }
}

TEST_CASE("deb822 strips an OpenPGP clearsign armor") {
  const char* text =
      "-----BEGIN PGP SIGNED MESSAGE-----\n"
      "Hash: SHA256\n"
      "\n"
      "Format: 3.0 (quilt)\n"
      "Source: hello\n"
      "- Dashed: yes\n"
      "\n"
      "-----BEGIN PGP SIGNATURE-----\n"
      "\n"
      "iQIzBAEBCAAdFiEE\n"
      "=abcd\n"
      "-----END PGP SIGNATURE-----\n";
  Deb822File file = parse_deb822(text, "hello.dsc");
  CHECK(file.was_signed);
  REQUIRE(file.paragraphs.size() == 1);
  CHECK(file.paragraphs[0].required("Source") == "hello");
  CHECK(file.paragraphs[0].required("Dashed") == "yes");
  CHECK(file.paragraphs[0].find("Source")->line == 5);
  CHECK_FALSE(parse_deb822("A: b\n", "x").was_signed);

  std::string truncated(text, std::string_view(text).find("-----BEGIN PGP SIGNATURE"));
  CHECK(input_error(truncated) ==
        "debian/control:1: OpenPGP signed message has no signature block; the file is truncated");
  CHECK(input_error(std::string(text) + "Extra: field\n")
            .starts_with("debian/control:13: text after"));
  CHECK(input_error(text, {.allow_comments = true, .allow_signed = false})
            .starts_with("debian/control:1: OpenPGP signed message"));
  CHECK(input_error("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nA: b\n-bad\n"
                    "-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n")
            .starts_with("debian/control:5: line starting with '-'"));
}

TEST_CASE("deb822 reads the fixture control files") {
  for (const char* fixture : {"hello-c", "hello-py", "missing-dep", "netprobe"}) {
    std::string path =
        std::string(CLEANROOM_TEST_DATA) + "/fixtures/" + fixture + "/debian/control";
    Deb822File file = read_deb822_file(path);
    CHECK(file.paragraphs.size() >= 2);
    CHECK(file.paragraphs[0].has("Source"));
  }
  CHECK_THROWS_AS(read_deb822_file(std::string(CLEANROOM_TEST_DATA) + "/no-such-file"), Error);
}

TEST_CASE("deb822 reads the host's dpkg status and apt release files unchanged") {
  std::vector<std::string> paths;
  if (path_exists("/var/lib/dpkg/status")) paths.push_back("/var/lib/dpkg/status");
  if (path_exists("/var/lib/apt/lists"))
    for (const auto& entry : std::filesystem::directory_iterator("/var/lib/apt/lists"))
      if (entry.path().string().ends_with("InRelease")) paths.push_back(entry.path().string());
  for (const std::string& path : paths) {
    INFO(path);
    std::string text = read_file(path);
    Deb822File file = parse_deb822(text, path, {.allow_comments = false});
    CHECK_FALSE(file.paragraphs.empty());
    if (file.was_signed)
      CHECK(file.paragraphs[0].has("Suite"));
    else
      CHECK(write_deb822(file) == text);
  }
}
