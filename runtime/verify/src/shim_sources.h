// The C sources of the LD_PRELOAD shims in runtime/verify/shims/, embedded at
// build time (cmake/EmbedText.cmake): a variation's preamble writes them into
// the build root and compiles them there with the build root's own gcc.
#pragma once

namespace cleanroom::build {

const char* readdir_shim_source();      // shims/readdir_reverse.c
const char* clock_shift_shim_source();  // shims/clock_shift.c

// The faked clock's lead: 1826 days, five years.
inline constexpr long long kClockShiftSeconds = 1826LL * 86400;

}  // namespace cleanroom::build
