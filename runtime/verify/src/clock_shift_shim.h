// The C source of an LD_PRELOAD shim that verify's time variation compiles in
// the build root beside libfaketime, so that file times move with the faked
// clock the way a real change of the clock moves them (see the .cpp).
#pragma once

namespace cleanroom::build {

const char* clock_shift_shim_source();

// The faked clock's lead: 1826 days, five years.
inline constexpr long long kClockShiftSeconds = 1826LL * 86400;

}  // namespace cleanroom::build
