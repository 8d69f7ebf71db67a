// Joining strings with a separator, for messages, command lines and fields:
// join(names, ", ") == "a, b" for names {"a", "b"}.
#pragma once

#include <string>
#include <string_view>

namespace cleanroom {

// The text of each item (text_of(item)) with `separator` between them; an
// empty item still gets its separators: {"", "b"} -> ", b".
template <typename Range, typename TextOf>
std::string join(const Range& items, std::string_view separator, TextOf&& text_of) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    first = false;
    out += text_of(item);
  }
  return out;
}

// Items that are strings (std::string, std::string_view, const char*) as they are.
template <typename Range>
std::string join(const Range& items, std::string_view separator) {
  return join(items, separator, [](const auto& item) -> std::string_view { return item; });
}

}  // namespace cleanroom
