// Paths from an archive are untrusted: they are checked as text first (no
// absolute paths, no ".."), then resolved beneath a directory fd with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so a
// symlink planted by an earlier entry can never redirect a later write.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cleanroom/base/unique_fd.h"

namespace cleanroom::formats {

// "a//./b/" -> "a/b"; "." or "" -> "."; nullopt for absolute paths, any ".."
// component, or an embedded NUL.
std::optional<std::string> normalize_member_path(std::string_view raw);

// Opens rel (normalized, or ".") beneath root_fd without following any symlink
// on the way or at the end. Throws Error(Input) when a symlink or an escape is in
// the way, Error with the errno otherwise.
UniqueFd open_beneath(int root_fd, const std::string& rel, int flags);

// Like mkdir -p beneath root_fd, one component at a time with O_NOFOLLOW; returns
// the innermost directory opened O_PATH. Missing directories get mode.
UniqueFd make_dirs_beneath(int root_fd, const std::string& rel, unsigned mode);

// "a/b/c" -> {"a/b", "c"}; "c" -> {".", "c"}.
std::pair<std::string, std::string> split_parent(const std::string& rel);

}  // namespace cleanroom::formats
