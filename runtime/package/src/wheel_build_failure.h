// What a failed sdist build's log says, for the error message: its last
// lines, and whether the failure looks like a package missing from the
// snapshot (a header, the compiler, a library to link), the one case where
// build_packages is the fix. Other failures (a bad flag, a failing setup.py,
// a missing build_env switch) are shown as they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroom::build {

inline constexpr std::size_t kWheelLogTailLines = 15;

// The last `count` non-empty lines of `log`, each indented by two spaces,
// control characters but tabs shown as '?'.
std::string log_tail(std::string_view log, std::size_t count = kWheelLogTailLines);

// True when the log shows a missing header, compiler or library.
bool log_shows_missing_package(std::string_view log);

}  // namespace cleanroom::build
