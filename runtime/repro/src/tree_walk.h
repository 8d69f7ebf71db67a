// Lists a directory tree without following symlinks: the tree may come from a
// build and hold links pointing anywhere, so only lstat information is used and
// no link is ever traversed.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

namespace cleanroom::repro::detail {

struct TreeEntry {
  std::string rel;  // relative to the root, '/' separated; "" is not listed
  struct stat st {};
};

// Every entry below root, sorted by path bytes (a directory before its contents).
// Throws Error (Input) when root is not a directory.
std::vector<TreeEntry> walk_tree(const std::string& root);

std::string join_path(const std::string& root, const std::string& rel);

}  // namespace cleanroom::repro::detail
