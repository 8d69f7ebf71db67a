// A guard in front of toml++ (3.3, Debian's): its tables for non-ASCII
// whitespace reach __builtin_unreachable for most non-ASCII characters it
// classifies, which is undefined behaviour on hostile input, and it classifies
// them outside strings and, after a syntax error, inside them too. So TOML
// text is read as ASCII: other characters go into strings as \uXXXX escapes.
#pragma once

// Its assertions abort a debug build on some malformed input where its
// release build reports a parse error; input may be hostile, so every build
// reports. Include this header before <toml++/toml.h>.
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif

#include <cstddef>
#include <optional>
#include <string_view>

namespace cleanroom {

// The 1-based line of the first byte >= 0x80, if any.
std::optional<std::size_t> toml_first_non_ascii_line(std::string_view text);

// The message for such a line: what is wrong and how to write it instead.
inline constexpr const char* kTomlNonAsciiFix =
    "a character is not ASCII; write it in a string as a \\uXXXX escape "
    "(e.g. \"J\\u00f6rg\")";

}  // namespace cleanroom
