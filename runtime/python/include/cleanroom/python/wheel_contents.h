// The known trap of sdists whose C extension fails to compile and that then
// "fall back" to pure Python: the wheel still carries a platform tag, so it
// looks native but contains no compiled module. Detected from the member list
// of the wheel (its zip directory), which the caller reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cleanroom/python/wheel_name.h"

namespace cleanroom::python {

// True for a member that is a compiled extension or shared library.
bool is_compiled_member(const std::string& member);

// A one-line problem when the wheel is platform-tagged but holds no compiled
// member, unless its distribution is in `allowed` (normalized names).
std::optional<std::string> pure_fallback_problem(const WheelName& wheel,
                                                 const std::vector<std::string>& members,
                                                 const std::vector<std::string>& allowed);

}  // namespace cleanroom::python
