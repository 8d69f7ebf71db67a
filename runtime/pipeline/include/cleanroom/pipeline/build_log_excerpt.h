// The line of a failed build's log that says why, for the one-line error: the
// build log itself can be thousands of lines, and `-q` shows none of them.
#pragma once

#include <string>
#include <string_view>

namespace cleanroom::build {

// Among the last lines of log_text, the first that reports an error ("error:"
// from gcc, dpkg and debhelper alike, or "E: " from apt), trimmed and cut to a
// readable length; "" when none does. The first, not the last: the compiler's
// own message comes before make's and debhelper's summaries of it.
std::string error_line_in_tail(std::string_view log_text);

// The same, reading the end of the log file; "" when it cannot be read.
std::string error_line_in_log(const std::string& log_path);

}  // namespace cleanroom::build
