#include "cleanroom/base/excerpt.h"

#include <fmt/format.h>

#include <algorithm>

namespace cleanroom {

std::string excerpt(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t n = std::min(text.size(), max_chars);
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (n < text.size()) out += "...";
  return out;
}

std::string quote_excerpt(std::string_view text) { return "'" + excerpt(text) + "'"; }

}  // namespace cleanroom
