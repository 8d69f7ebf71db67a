// Writing the sandbox child's uid and gid maps from the helper (the parent side
// of the user namespace), by the method the spec names.
#pragma once

#include <sys/types.h>

#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox::helper {

// Throws Error naming the file or the helper program that failed.
void write_id_maps(pid_t child, const Spec& spec);

struct Prepared;
// Gives the binds the helper made, whose owner is outside the sandbox's map,
// an id mapping of their owner onto the sandbox's root: the owner's files show
// as root's inside, and what the sandbox's root writes there belongs to the
// owner (never to host root unless host root owns the bind).
void idmap_bind_trees(const Spec& spec, const Prepared& prep);

}  // namespace cleanroom::sandbox::helper
