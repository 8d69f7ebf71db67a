// Resolving a path beneath a directory without following any symlink: the
// one primitive behind archive extraction (formats/safe_path.h) and reading
// what a sandboxed build wrote (sandbox_file.h).
#pragma once

#include <string>

namespace cleanroom {

// Opens rel beneath dir_fd with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
// | RESOLVE_NO_MAGICLINKS), O_NOFOLLOW and O_CLOEXEC added to flags; where the
// kernel lacks openat2 (before 5.6), by opening each component O_NOFOLLOW from
// the one before. rel must be relative and free of ".." (the walk relies on
// it). Returns the fd, or -1 with errno set: ELOOP for a symlink on the way or
// at the end, EXDEV for an escape, ENOTDIR for a non-directory on the way
// (which, in the walk, includes a symlink). Callers word the refusal.
int open_beneath_raw(int dir_fd, const std::string& rel, int flags);

}  // namespace cleanroom
