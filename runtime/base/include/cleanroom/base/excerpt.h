// Untrusted text quoted in a message (a line of a file a recipe names, an
// option's value): a message must stay one short line a terminal shows as
// it is, so a file cannot be echoed whole nor a control sequence sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroom {

inline constexpr std::size_t kExcerptMax = 60;

// `text` on one line: '\\' and bytes outside printable ASCII as \n, \t, \r or
// \xNN; cut after max_chars characters of the original, marked with "...".
std::string excerpt(std::string_view text, std::size_t max_chars = kExcerptMax);
// The same in single quotes, as messages quote a value: 'text'.
std::string quote_excerpt(std::string_view text);

}  // namespace cleanroom
