#include "tree_walk.h"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::repro::detail {

namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

void walk(int dir_fd, const std::string& root, const std::string& prefix,
          std::vector<TreeEntry>& out) {
  // fdopendir takes ownership of its fd; hand it a duplicate so ours stays valid.
  int dup = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) throw_errno("dup directory fd of '" + join_path(root, prefix) + "'");
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dup));
  if (!dir) {
    ::close(dup);
    throw_errno("opendir '" + join_path(root, prefix) + "'");
  }
  std::vector<TreeEntry> here;
  errno = 0;
  while (dirent* d = ::readdir(dir.get())) {
    std::string name = d->d_name;
    if (name == "." || name == "..") continue;
    TreeEntry entry;
    entry.rel = prefix.empty() ? name : prefix + "/" + name;
    if (::fstatat(dir_fd, name.c_str(), &entry.st, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("lstat '" + join_path(root, entry.rel) + "'");
    here.push_back(std::move(entry));
    errno = 0;
  }
  if (errno != 0) throw_errno("readdir '" + join_path(root, prefix) + "'");
  for (TreeEntry& entry : here) {
    bool is_dir = S_ISDIR(entry.st.st_mode);
    std::string rel = entry.rel;
    out.push_back(std::move(entry));
    if (!is_dir) continue;
    std::string name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    UniqueFd child = open_fd_at(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
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
