#include "cleanroom/base/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string_view>

#include "cleanroom/base/error.h"

namespace cleanroom {

namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

[[noreturn]] void throw_unlistable(const std::string& shown, int err) {
  throw_errno("list '" + shown + "'", err, err == ENOENT ? ErrorKind::Input : ErrorKind::Failure);
}

// readdir(3) ends a listing and reports an error the same way, with nullptr:
// only errno, cleared before each call, tells them apart.
std::vector<std::string> read_names(DIR* dir, const std::string& shown) {
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (!entry) break;
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  if (errno != 0) throw_errno("read directory '" + shown + "'");
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

void make_dirs(const std::string& path, unsigned mode) {
  if (path.empty()) return;
  // The whole path first: it usually exists, or lacks only its last part
  // (every store open makes its directories; one call each, not one per
  // component).
  if (::mkdir(path.c_str(), mode) != 0) {
    if (errno == ENOENT) {
      std::size_t slash = path.find_last_of('/');
      if (slash != std::string::npos && slash > 0) make_dirs(path.substr(0, slash), mode);
      if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throw_errno("mkdir '" + path + "'");
    } else if (errno != EEXIST) {
      throw_errno("mkdir '" + path + "'");
    }
  }
  // EEXIST may be a file: then the caller has no directory.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw_errno("mkdir '" + path + "'");
  if (!S_ISDIR(st.st_mode)) throw_errno("mkdir '" + path + "'", ENOTDIR);
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dir(const std::string& path) {
  std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
  if (!dir) throw_unlistable(path, errno);
  return read_names(dir.get(), path);
}

std::vector<std::string> list_dir(int dir_fd, const std::string& shown) {
  // fdopendir takes over the fd it is given: hand it a duplicate. The duplicate
  // shares the file offset, so rewind in case the caller's fd was read before.
  int dup = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) throw_unlistable(shown, errno);
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dup));
  if (!dir) {
    int err = errno;
    ::close(dup);
    throw_unlistable(shown, err);
  }
  ::rewinddir(dir.get());
  return read_names(dir.get(), shown);
}

}  // namespace cleanroom
