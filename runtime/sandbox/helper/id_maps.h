// Writing the sandbox child's uid and gid maps from the helper (the parent side
// of the user namespace), by the method the spec names.
#pragma once

#include <sys/types.h>

#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox::helper {

// Throws Error naming the file or the helper program that failed.
void write_id_maps(pid_t child, const Spec& spec);

}  // namespace cleanroom::sandbox::helper
