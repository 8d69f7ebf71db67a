#include "cleanroom/base/printable.h"

#include <fmt/format.h>

#include <cstdint>

namespace cleanroom {

namespace {

// Length of the valid UTF-8 sequence at the start of s and its code point;
// 0 when the bytes there are not one (overlong forms and surrogates included).
std::size_t utf8_sequence(std::string_view s, char32_t& cp) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  std::size_t len = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (lead >= 0xf5 || len == 0 || s.size() < len) return 0;
  cp = lead & (0x7f >> len);
  for (std::size_t i = 1; i < len; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i) & 0x3f);
  }
  bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

bool hidden_code_point(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) ||      // C1 controls (0x9b is a CSI on its own)
         (cp >= 0x202a && cp <= 0x202e) ||  // bidirectional embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069);    // bidirectional isolates
}

}  // namespace

std::string printable(std::string_view text, LineBreaks breaks) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n' || c == '\t') {
      out += breaks == LineBreaks::Keep ? std::string(1, static_cast<char>(c))
                                        : (c == '\n' ? "\\n" : "\\t");
      ++i;
    } else if (c < 0x80) {
      out += c == '\r' ? std::string("\\r") : fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      char32_t cp = 0;
      std::size_t len = utf8_sequence(text.substr(i), cp);
      if (len == 0) {
        out += fmt::format("\\x{:02x}", c);
        ++i;
      } else {
        out += hidden_code_point(cp) ? fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp))
                                     : std::string(text.substr(i, len));
        i += len;
      }
    }
  }
  return out;
}

}  // namespace cleanroom
