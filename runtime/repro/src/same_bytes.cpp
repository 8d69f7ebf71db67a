#include "same_bytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::repro::detail {

namespace {

constexpr std::size_t kChunk = 128u << 10;
constexpr std::uint64_t kSplitAbove = 8u << 20;  // smaller pairs: one thread

struct Part {
  std::uint64_t from, to;
  bool same = true;
  int err = 0;          // errno of a failed read
  int failed_side = 0;  // 0: a, 1: b
};

// Reads n bytes at offset, or fewer at the end of the file; -1 and errno on error.
ssize_t read_at(int fd, char* buf, std::size_t n, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

void compare_part(const int fds[2], Part& part, std::atomic<bool>& differs) {
  std::unique_ptr<char[]> buf(new char[2 * kChunk]);
  char* bufs[2] = {buf.get(), buf.get() + kChunk};
  for (std::uint64_t at = part.from; at < part.to && !differs.load(std::memory_order_relaxed);) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, part.to - at));
    ssize_t got[2];
    for (int side = 0; side < 2; ++side) {
      got[side] = read_at(fds[side], bufs[side], n, at);
      if (got[side] >= 0) continue;
      part.err = errno;
      part.failed_side = side;
      return;
    }
    // A file that shrank since its size was taken reads short: it differs.
    if (static_cast<std::size_t>(got[0]) != n || static_cast<std::size_t>(got[1]) != n ||
        std::memcmp(bufs[0], bufs[1], n) != 0) {
      part.same = false;
      differs = true;
      return;
    }
    at += n;
  }
}

}  // namespace

bool same_bytes(const std::string& a, const std::string& b, std::uint64_t size) {
  UniqueFd fa = open_fd(a, O_RDONLY | O_CLOEXEC), fb = open_fd(b, O_RDONLY | O_CLOEXEC);
  const int fds[2] = {fa.get(), fb.get()};
  std::atomic<bool> differs{false};
  Part parts[2] = {{0, size}, {size, size}};
  std::thread second;
  if (size > kSplitAbove) {
    parts[0].to = parts[1].from = size / 2 / kChunk * kChunk;
    try {
      second = std::thread([&] { compare_part(fds, parts[1], differs); });
    } catch (const std::system_error&) {  // no thread to be had: one does it all
      parts[0].to = size;
    }
  }
  compare_part(fds, parts[0], differs);
  if (second.joinable()) second.join();
  for (const Part& p : parts)
    if (p.err) throw_errno("read '" + (p.failed_side ? b : a) + "'", p.err, ErrorKind::Input);
  // One that grew meanwhile is not the same either.
  struct stat st {};
  for (int fd : fds)
    if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) != size) return false;
  return parts[0].same && parts[1].same;
}

}  // namespace cleanroom::repro::detail
