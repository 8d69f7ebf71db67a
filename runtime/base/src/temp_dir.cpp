#include "cleanroom/base/temp_dir.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "cleanroom/base/error.h"

namespace cleanroom {

namespace {
int remove_entry(const char* path, const struct stat*, int type, struct FTW*) {
  int rc = (type == FTW_DP) ? ::rmdir(path) : ::unlink(path);
  if (rc != 0 && errno != ENOENT) return errno;
  return 0;
}

void make_writable_dirs(const std::string& path) {
  // A build may leave read-only directories behind; rm -rf copes, so must we.
  ::chmod(path.c_str(), 0700);
}
}  // namespace

TempDir::TempDir(const std::string& prefix, const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* env = std::getenv("TMPDIR");
    base = (env && *env) ? env : "/tmp";
  }
  std::string tmpl = base + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw_errno("create temporary directory in '" + base + "'");
  path_ = buf.data();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir::~TempDir() {
  if (path_.empty()) return;
  try {
    remove_tree(path_);
  } catch (...) {
    // Destructors must not throw; what is left is in a temp dir.
  }
}

std::string TempDir::release() {
  std::string p = std::move(path_);
  path_.clear();
  return p;
}

void remove_tree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw_errno("stat '" + path + "'");
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("remove '" + path + "'");
    return;
  }
  // First pass opens up read-only directories; second removes bottom-up.
  ::nftw(path.c_str(), [](const char* p, const struct stat* s, int type, struct FTW*) {
        if (type == FTW_D && (s->st_mode & 0700) != 0700) make_writable_dirs(p);
        return 0;
      }, 64, FTW_PHYS | FTW_MOUNT);
  int rc = ::nftw(path.c_str(), remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  if (rc != 0) throw_errno("remove '" + path + "'", rc > 0 ? rc : errno);
}

}  // namespace cleanroom
