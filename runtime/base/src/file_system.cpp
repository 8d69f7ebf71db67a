#include "cleanroom/base/file_system.h"

#include <sys/stat.h>

#include <cerrno>

#include "cleanroom/base/error.h"

namespace cleanroom {

void make_dirs(const std::string& path, unsigned mode) {
  if (path.empty()) return;
  std::string cur;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) throw_errno("mkdir '" + cur + "'");
  }
  // EEXIST on the last one may be a file: then the caller has no directory.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw_errno("mkdir '" + path + "'");
  if (!S_ISDIR(st.st_mode)) throw_errno("mkdir '" + path + "'", ENOTDIR);
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace cleanroom
