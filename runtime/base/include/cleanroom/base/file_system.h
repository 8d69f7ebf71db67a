// The few file-system queries and changes every layer needs, with errors
// reported the one way (Error naming the path, with errno).
#pragma once

#include <string>

namespace cleanroom {

// mkdir -p; throws on error, also when path exists but is not a directory
// (a symlink to one is fine).
void make_dirs(const std::string& path, unsigned mode = 0755);

// lstat(2) succeeds: a dangling symlink exists.
bool path_exists(const std::string& path);

}  // namespace cleanroom
