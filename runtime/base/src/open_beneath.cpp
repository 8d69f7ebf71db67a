#include "cleanroom/base/open_beneath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

namespace {

// Walk used when the kernel lacks openat2: every component opened with
// O_NOFOLLOW from the previous one. Equivalent here because callers reject
// ".." before any path reaches this file.
int open_by_walking(int dir_fd, const std::string& rel, int flags) {
  int dir = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (dir < 0) return -1;
  UniqueFd current(dir);
  std::size_t start = 0;
  for (;;) {
    std::size_t end = rel.find('/', start);
    std::string part =
        rel.substr(start, end == std::string::npos ? std::string::npos : end - start);
    bool last = end == std::string::npos;
    int f =
        last ? (flags | O_NOFOLLOW | O_CLOEXEC) : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int fd = ::openat(current.get(), part.c_str(), f, 0);
    if (fd < 0) return -1;
    current.reset(fd);
    if (last) return current.release();
    start = end + 1;
  }
}

}  // namespace

int open_beneath_raw(int dir_fd, const std::string& rel, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, dir_fd, rel.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  if (fd < 0 && errno == ENOSYS)
    fd = rel == "." ? ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0) : open_by_walking(dir_fd, rel, flags);
  return static_cast<int>(fd);
}

}  // namespace cleanroom
