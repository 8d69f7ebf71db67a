// Text from untrusted input (member names, file contents, control fields) made
// safe to print on a terminal. A tar member named "\033[2J" would otherwise
// clear the reader's screen, and escape sequences can retitle windows, move
// the cursor over earlier lines or, on some terminals, answer back as input.
// Printable ASCII and valid UTF-8 pass unchanged; every other byte is shown
// as an escape: C0 controls and DEL as \xNN (or \n, \t, \r), C1 controls and
// the bidirectional overrides that reorder what is shown as \uNNNN, bytes
// that are not valid UTF-8 as \xNN.
#pragma once

#include <string>
#include <string_view>

namespace cleanroom {

enum class LineBreaks { Escape, Keep };

// keep: newlines (and tabs) pass as they are, for multi-line text such as a
// diff; everything else above still is escaped.
std::string printable(std::string_view text, LineBreaks breaks = LineBreaks::Escape);

}  // namespace cleanroom
