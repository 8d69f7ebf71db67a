#include "cleanroom/base/toml_guard.h"

#include <algorithm>

namespace cleanroom {

std::optional<std::size_t> toml_first_non_ascii_line(std::string_view text) {
  auto it = std::find_if(text.begin(), text.end(),
                         [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (it == text.end()) return std::nullopt;
  return static_cast<std::size_t>(std::count(text.begin(), it, '\n')) + 1;
}

}  // namespace cleanroom
