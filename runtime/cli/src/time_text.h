// Times as the command line prints and takes them.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::cli {

// 2024-05-01T12:00:00Z.
std::string utc_time(std::int64_t unix_time);
// "24h", "30m", "2d", "90s", "0" in seconds; option names the option in the
// error (exit 2) for anything else.
std::int64_t parse_duration(const std::string& text, const std::string& option);

}  // namespace cleanroom::cli
