// How two contents differ, in a form a person reads: a unified diff for text
// (Myers' O(ND) algorithm, capped so huge or unrelated files cannot stall a
// comparison), the first differing offset with a hexdump around it for binaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cleanroom::repro {

// Text means: no NUL byte and valid UTF-8.
bool looks_like_text(std::string_view data);

struct TextDiffOptions {
  std::size_t context = 3;
  std::size_t max_lines = 400;        // of output; the rest is summarized in one line
  std::size_t max_edit_distance = 2000;  // beyond it: a summary instead of a diff
};

// "@@ -a,n +b,m @@" hunks with context lines; "" for equal texts. Without a
// trailing newline the last line is followed by "\ No newline at end of file".
std::string unified_diff(std::string_view a, std::string_view b, const TextDiffOptions& options);

struct ByteDifference {
  std::uint64_t offset = 0;  // first differing byte (the shorter size if one is a prefix)
  std::string a_dump, b_dump;  // xxd-style lines around offset
};

ByteDifference first_byte_difference(std::string_view a, std::string_view b,
                                     std::size_t context = 16);

// "00000010: 6865 6c6c 6f0a ...  hello." lines for [start, start+length).
std::string hexdump(std::string_view data, std::uint64_t start, std::size_t length);

}  // namespace cleanroom::repro
