// A process-count cap for the whole sandbox where no cgroup gives one.
#pragma once

#include <cstdint>

namespace cleanroom::sandbox::helper {

// Call just before the sandbox's user namespace is made. See the .cpp.
void cap_namespace_processes(std::uint64_t pids_limit);

}  // namespace cleanroom::sandbox::helper
