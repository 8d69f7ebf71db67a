#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/repro/content_diff.h"

using namespace cleanroom;
using namespace cleanroom::repro;

TEST_CASE("unified diff matches GNU diff -u for a simple change") {
  std::string a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
  std::string b = "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\nl";
  CHECK(unified_diff(a, b, {}) ==
        "@@ -1,6 +1,6 @@\n a\n b\n-c\n+C\n d\n e\n f\n"
        "@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n\\ No newline at end of file\n");
  CHECK(unified_diff(a, a, {}).empty());
  CHECK(unified_diff("", "x\n", {}) == "@@ -0,0 +1 @@\n+x\n");
  CHECK(unified_diff("x\n", "", {}) == "@@ -1 +0,0 @@\n-x\n");
}

TEST_CASE("unified diffs of random edits apply with patch(1) and give the other side") {
  TempDir dir;
  std::mt19937 rng(12345);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> lines;
    int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) lines.push_back("line " + std::to_string(rng() % 20));
    std::vector<std::string> other = lines;
    int edits = static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = other.empty() ? 0 : rng() % other.size();
      switch (rng() % 3) {
        case 0: other.insert(other.begin() + static_cast<long>(at), "new " + std::to_string(e)); break;
        case 1: if (!other.empty()) other.erase(other.begin() + static_cast<long>(at)); break;
        default: if (!other.empty()) other[at] = "changed " + std::to_string(e); break;
      }
    }
    std::string a, b;
    for (auto& l : lines) a += l + "\n";
    for (auto& l : other) b += l + "\n";
    std::string diff = unified_diff(a, b, {});
    INFO("round " << round << "\n" << diff);
    CHECK(diff.empty() == (a == b));
    if (diff.empty()) continue;
    write_file_atomic(dir.path() + "/file", a);
    write_file_atomic(dir.path() + "/file.diff", "--- file\n+++ file\n" + diff);
    ProcessSpec patch;
    patch.argv = {"patch", "-s", "--no-backup-if-mismatch", dir.path() + "/file",
                  dir.path() + "/file.diff"};
    REQUIRE(run_process(patch).status == 0);
    CHECK(read_file(dir.path() + "/file") == b);
  }
}

TEST_CASE("unified diff output is capped, and unrelated huge texts are summarized") {
  std::string a, b;
  for (int i = 0; i < 1000; ++i) a += "a" + std::to_string(i) + "\n", b += "b" + std::to_string(i) + "\n";
  TextDiffOptions options;
  options.max_lines = 10;
  std::string capped = unified_diff(a, b, options);
  CHECK_THAT(capped, Catch::EndsWith("... 1991 more lines of diff\n"));
  options.max_edit_distance = 100;
  CHECK(unified_diff(a, b, options) ==
        "(texts differ in more than 100 lines: 1000 lines against 1000, first difference at line 1)\n");
}

TEST_CASE("text detection and hexdumps of the first differing byte") {
  CHECK(looks_like_text("plain\n"));
  CHECK(looks_like_text("caf\xc3\xa9\n"));
  CHECK_FALSE(looks_like_text(std::string("a\0b", 3)));
  CHECK_FALSE(looks_like_text("\xff\xfe"));

  CHECK(hexdump("hello world, abcdefghijklmnopqrstuvwxyz", 0, 64) ==
        "00000000: 6865 6c6c 6f20 776f 726c 642c 2061 6263  hello world, abc\n"
        "00000010: 6465 6667 6869 6a6b 6c6d 6e6f 7071 7273  defghijklmnopqrs\n"
        "00000020: 7475 7677 7879 7a                        tuvwxyz\n");
  std::string a(100, 'x'), b = a;
  b[70] = 'y';
  ByteDifference d = first_byte_difference(a, b, 16);
  CHECK(d.offset == 70);
  CHECK_THAT(d.a_dump, Catch::StartsWith("00000030:"));
  CHECK_THAT(d.b_dump, Catch::Contains("00000040: 7878 7878 7878 7978"));
  CHECK(first_byte_difference("abc", "abcdef").offset == 3);
}
