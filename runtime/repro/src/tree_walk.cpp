#include "tree_walk.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::repro::detail {

namespace {

void walk(int dir_fd, const std::string& root, const std::string& prefix,
          std::vector<TreeEntry>& out) {
  std::vector<TreeEntry> here;
  for (const std::string& name : list_dir(dir_fd, join_path(root, prefix))) {
    TreeEntry entry;
    entry.rel = prefix.empty() ? name : prefix + "/" + name;
    if (::fstatat(dir_fd, name.c_str(), &entry.st, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("lstat '" + join_path(root, entry.rel) + "'");
    here.push_back(std::move(entry));
  }
  for (TreeEntry& entry : here) {
    bool is_dir = S_ISDIR(entry.st.st_mode);
    std::string rel = entry.rel;
    out.push_back(std::move(entry));
    if (!is_dir) continue;
    UniqueFd child = open_fd_at(dir_fd, file_name(rel), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    walk(child.get(), root, rel, out);
  }
}

}  // namespace

std::string join_path(const std::string& root, const std::string& rel) {
  return rel.empty() ? root : root + "/" + rel;
}

std::vector<TreeEntry> walk_tree(const std::string& root) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0) throw_errno("'" + root + "'", errno, ErrorKind::Input);
  if (!S_ISDIR(st.st_mode)) throw_input("'" + root + "' is not a directory");
  UniqueFd fd = open_fd(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  std::vector<TreeEntry> out;
  walk(fd.get(), root, "", out);
  std::sort(out.begin(), out.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.rel < b.rel; });
  return out;
}

}  // namespace cleanroom::repro::detail
