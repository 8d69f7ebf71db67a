#include "cleanroom/base/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "cleanroom/base/error.h"

namespace cleanroom {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

void UniqueFd::close(const char* what) {
  int fd = release();
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) throw_errno(std::string("close ") + what);
}

UniqueFd open_fd(const std::string& path, int flags, unsigned mode) {
  return open_fd_at(AT_FDCWD, path, flags, mode);
}

UniqueFd open_fd_at(int dirfd, const std::string& path, int flags, unsigned mode) {
  int fd;
  do {
    fd = ::openat(dirfd, path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw_errno("open '" + path + "'");
  return UniqueFd(fd);
}

void write_all(int fd, const void* data, std::size_t size, const std::string& what) {
  auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + what);
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_all(int fd, std::string_view data, const std::string& what) {
  write_all(fd, data.data(), data.size(), what);
}

void for_each_chunk(int fd, const std::string& what,
                    const std::function<void(const char* data, std::size_t size)>& fn) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + what);
    }
    if (n == 0) return;
    fn(buf, static_cast<std::size_t>(n));
  }
}

std::string read_all(int fd, const std::string& what) {
  std::string out;
  for_each_chunk(fd, what, [&](const char* data, std::size_t size) { out.append(data, size); });
  return out;
}

}  // namespace cleanroom
