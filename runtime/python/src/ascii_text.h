// ASCII-only text helpers shared by the parsers of Python's formats, which are
// all defined over ASCII (names, versions, markers, tags): locale-independent
// on purpose so parsing never depends on the host's LC_* settings.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace cleanroom::python::ascii {

inline bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Calls fn(number, line) for each line, numbered from 1, without its "\n" or
// "\r\n"; fn returns false to stop early.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  long number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(++number, line)) return;
  }
}

}  // namespace cleanroom::python::ascii
