// Writing the sandbox child's uid and gid maps from the helper (the parent side
// of the user namespace), by the method the spec names.
#pragma once

#include <sys/types.h>

#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox::helper {

// Throws Error naming the file or the helper program that failed.
void write_id_maps(pid_t child, const Spec& spec);

struct Prepared;
// Gives the binds the helper made an id mapping through the child's user
// namespace, so that the host ids of their files show as the same ids inside
// (host root's files as the sandbox's root's). Call after write_id_maps.
void idmap_bind_trees(pid_t child, const Prepared& prep);

}  // namespace cleanroom::sandbox::helper
