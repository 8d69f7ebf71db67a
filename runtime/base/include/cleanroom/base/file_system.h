// The few file-system queries and changes every layer needs, with errors
// reported the one way (Error naming the path, with errno).
#pragma once

#include <string>
#include <vector>

namespace cleanroom {

// mkdir -p; throws on error, also when path exists but is not a directory
// (a symlink to one is fine).
void make_dirs(const std::string& path, unsigned mode = 0755);

// lstat(2) succeeds: a dangling symlink exists.
bool path_exists(const std::string& path);

// The names in a directory, sorted by bytes, without "." and ".." (other
// dot-files are kept). Throws Error with errno: "list 'PATH'" when it cannot be
// opened (Input for a missing path, Failure otherwise), "read directory 'PATH'"
// when readdir(3) fails part-way, so a listing is never silently short.
std::vector<std::string> list_dir(const std::string& path);
// The same for an open directory (the fd stays the caller's and is read from
// its start); `shown` names it in messages.
std::vector<std::string> list_dir(int dir_fd, const std::string& shown);

}  // namespace cleanroom
