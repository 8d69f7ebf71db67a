// Turning a directory tree into tar entries. The walk goes through directory
// fds and lstat-style calls only, so a symlink in the tree (a build tree is
// untrusted) is recorded as a symlink and never followed out of it.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/tar.h"

namespace cleanroom::formats {

namespace {

// Extended attributes, minus SELinux labels: those describe the build host's
// policy, not the package.
std::vector<std::pair<std::string, std::string>> read_xattrs(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  ssize_t len = ::llistxattr(path.c_str(), nullptr, 0);
  if (len <= 0) return out;  // none, or unsupported by the filesystem
  std::string names(static_cast<std::size_t>(len), '\0');
  len = ::llistxattr(path.c_str(), names.data(), names.size());
  if (len < 0) throw_errno("listxattr '" + path + "'");
  names.resize(static_cast<std::size_t>(len));
  for (std::size_t at = 0; at < names.size();) {
    std::string key = names.c_str() + at;
    at += key.size() + 1;
    if (key.empty() || key == "security.selinux") continue;
    ssize_t vlen = ::lgetxattr(path.c_str(), key.c_str(), nullptr, 0);
    if (vlen < 0) throw_errno("getxattr '" + path + "' " + key);
    std::string value(static_cast<std::size_t>(vlen), '\0');
    vlen = ::lgetxattr(path.c_str(), key.c_str(), value.data(), value.size());
    if (vlen < 0) throw_errno("getxattr '" + path + "' " + key);
    value.resize(static_cast<std::size_t>(vlen));
    out.emplace_back(key, value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Scanner {
 public:
  Scanner(std::string root, std::uint32_t uid_offset)
      : root_(std::move(root)), uid_offset_(uid_offset) {}

  void walk(int dirfd, const std::string& rel) {
    std::string where = rel.empty() ? root_ : root_ + "/" + rel;
    for (const std::string& name : list_dir(dirfd, where)) {
      std::string path = rel.empty() ? name : rel + "/" + name;
      std::string abs = root_ + "/" + path;
      struct stat st;
      if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        throw_errno("lstat '" + abs + "'");
      if (S_ISSOCK(st.st_mode)) continue;  // tar cannot hold a socket
      TarEntry e = describe(dirfd, name, path, abs, st);
      bool is_dir = e.type == EntryType::Directory;
      entries.push_back(std::move(e));
      if (is_dir) {
        UniqueFd sub = open_fd_at(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        walk(sub.get(), path);
      }
    }
  }

  std::vector<TarEntry> entries;

 private:
  std::uint32_t unshift(std::uint32_t id, const std::string& abs) const {
    if (id < uid_offset_)
      throw_input(
          fmt::format("'{}': owner {} lies below the id offset {}; the tree was not "
                      "made with this offset",
                      abs, id, uid_offset_));
    return id - uid_offset_;
  }

  TarEntry describe(int dirfd, const std::string& name, const std::string& path,
                    const std::string& abs, const struct stat& st) {
    TarEntry e;
    e.path = path;
    e.mode = st.st_mode & 07777;
    e.uid = unshift(st.st_uid, abs);
    e.gid = unshift(st.st_gid, abs);
    e.mtime = st.st_mtim.tv_sec;
    if (S_ISDIR(st.st_mode)) {
      e.type = EntryType::Directory;
    } else if (S_ISLNK(st.st_mode)) {
      e.type = EntryType::Symlink;
      std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
      if (n < 0) throw_errno("readlink '" + abs + "'");
      target.resize(static_cast<std::size_t>(n));
      e.link_target = target;
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      e.type = S_ISCHR(st.st_mode) ? EntryType::CharDevice : EntryType::BlockDevice;
      e.dev_major = major(st.st_rdev);
      e.dev_minor = minor(st.st_rdev);
    } else if (S_ISFIFO(st.st_mode)) {
      e.type = EntryType::Fifo;
    } else {
      e.type = EntryType::File;
      e.size = static_cast<std::uint64_t>(st.st_size);
      e.source_path = abs;
    }
    if (e.type != EntryType::Directory && st.st_nlink > 1) {
      auto [it, first] = inodes_.emplace(std::make_pair(st.st_dev, st.st_ino), path);
      if (!first) {
        e.type = EntryType::Hardlink;
        e.link_target = it->second;
        e.source_path.clear();
        e.size = 0;
      }
    }
    if (e.type != EntryType::Symlink) e.xattrs = read_xattrs(abs);
    return e;
  }

  std::string root_;
  std::uint32_t uid_offset_;
  std::map<std::pair<dev_t, ino_t>, std::string> inodes_;
};

}  // namespace

std::vector<TarEntry> scan_tree(const std::string& dir, std::uint32_t uid_offset) {
  UniqueFd root = open_fd(dir, O_RDONLY | O_DIRECTORY);
  Scanner scanner(dir, uid_offset);
  scanner.walk(root.get(), "");
  return std::move(scanner.entries);
}

}  // namespace cleanroom::formats
