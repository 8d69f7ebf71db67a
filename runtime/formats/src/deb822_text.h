// Small text helpers shared by the deb822-family parsers (private to formats).
// "Blank" is what dpkg means by it: spaces and tabs only, never the C locale's
// isspace, so that parsing does not depend on the locale.
#pragma once

#include <string_view>

namespace cleanroom::formats::deb822_text {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Without leading and trailing characters from chars.
inline std::string_view trim(std::string_view s, std::string_view chars = " \t") {
  std::size_t begin = s.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(chars) - begin + 1);
}

inline std::string_view rtrim(std::string_view s) {
  std::size_t end = s.find_last_not_of(" \t");
  return end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1);
}

}  // namespace cleanroom::formats::deb822_text
