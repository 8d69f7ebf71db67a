#include "cleanroom/base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

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

FileLock FileLock::try_lock(const std::string& path, LockMode mode) {
  FileLock lock;
  UniqueFd fd = open_fd(path, O_RDWR | O_CREAT, 0644);
  int op = (mode == LockMode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  if (::flock(fd.get(), op) == 0) {
    lock.fd_ = std::move(fd);
  } else if (errno != EWOULDBLOCK) {
    throw_errno("lock '" + path + "'");
  }
  return lock;
}

}  // namespace cleanroom
