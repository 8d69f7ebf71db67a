// Move-only owner of a file descriptor. close() reports its error once and is
// never retried: on Linux the fd is gone even when close fails.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace cleanroom {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);
  // Closes and throws on error (e.g. EIO or ENOSPC surfacing at close on NFS).
  void close(const char* what);

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC always added; throws Error naming the path.
UniqueFd open_fd(const std::string& path, int flags, unsigned mode = 0644);
UniqueFd open_fd_at(int dirfd, const std::string& path, int flags, unsigned mode = 0644);

// Full writes and reads, retrying EINTR and short counts; throw on error.
void write_all(int fd, const void* data, std::size_t size, const std::string& what);
void write_all(int fd, std::string_view data, const std::string& what);
std::string read_all(int fd, const std::string& what);
// Reads fd to its end in 64 KiB chunks, handing each to fn; throws on error.
void for_each_chunk(int fd, const std::string& what,
                    const std::function<void(const char* data, std::size_t size)>& fn);

}  // namespace cleanroom
