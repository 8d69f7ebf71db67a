#include "cleanroom/base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "cleanroom/base/error.h"

namespace cleanroom {

FileLock::FileLock(const std::string& path, LockMode mode) {
  fd_ = open_fd(path, O_RDWR | O_CREAT, 0644);
  int op = mode == LockMode::Exclusive ? LOCK_EX : LOCK_SH;
  while (::flock(fd_.get(), op) != 0) {
    if (errno != EINTR) throw_errno("lock '" + path + "'");
  }
}

namespace {
// Takes the lock without waiting; false when someone else holds it.
bool lock_now(int fd, LockMode mode, const std::string& path) {
  int op = (mode == LockMode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  if (::flock(fd, op) == 0) return true;
  if (errno != EWOULDBLOCK) throw_errno("lock '" + path + "'");
  return false;
}
}  // namespace

FileLock FileLock::try_lock(const std::string& path, LockMode mode) {
  FileLock lock;
  UniqueFd fd = open_fd(path, O_RDWR | O_CREAT, 0644);
  if (lock_now(fd.get(), mode, path)) lock.fd_ = std::move(fd);
  return lock;
}

std::optional<FileLock> FileLock::try_lock_existing(const std::string& path, LockMode mode) {
  int raw = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (raw < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("open '" + path + "'");
  }
  UniqueFd fd(raw);
  FileLock lock;
  if (lock_now(fd.get(), mode, path)) lock.fd_ = std::move(fd);
  return lock;
}

}  // namespace cleanroom
