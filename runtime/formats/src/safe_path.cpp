#include "cleanroom/formats/safe_path.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "cleanroom/base/error.h"

namespace cleanroom::formats {

std::optional<std::string> normalize_member_path(std::string_view raw) {
  if (raw.find('\0') != std::string_view::npos) return std::nullopt;
  if (!raw.empty() && raw.front() == '/') return std::nullopt;
  std::string out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view part = raw.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") return std::nullopt;
    if (!out.empty()) out += '/';
    out.append(part);
  }
  return out.empty() ? "." : out;
}

std::pair<std::string, std::string> split_parent(const std::string& rel) {
  auto slash = rel.rfind('/');
  if (slash == std::string::npos) return {".", rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

namespace {

// Walk used when the kernel lacks openat2 (before 5.6): every component opened
// with O_NOFOLLOW from the previous one. Equivalent here because ".." is
// rejected before any path reaches this file.
int open_by_walking(int root_fd, const std::string& rel, int flags) {
  int dir = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
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

UniqueFd open_beneath(int root_fd, const std::string& rel, int flags) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  if (fd < 0 && errno == ENOSYS)
    fd = rel == "." ? ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0) : open_by_walking(root_fd, rel, flags);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  int err = errno;
  // ELOOP: a symlink on the way (NO_SYMLINKS); EXDEV: resolution left the root.
  if (err == ELOOP || err == EXDEV)
    throw_input(fmt::format("'{}' leads through a symlink or out of the destination", rel));
  if (err == ENOTDIR)
    throw_input(fmt::format("'{}' leads through a symlink or a non-directory", rel));
  throw_errno("open '" + rel + "'", err);
}

UniqueFd make_dirs_beneath(int root_fd, const std::string& rel, unsigned mode) {
  UniqueFd current = open_beneath(root_fd, ".", O_PATH | O_DIRECTORY);
  if (rel == ".") return current;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = rel.find('/', start);
    std::string part =
        rel.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (::mkdirat(current.get(), part.c_str(), mode) != 0 && errno != EEXIST)
      throw_errno("mkdir '" + rel.substr(0, end) + "'");
    current = open_beneath(current.get(), part, O_PATH | O_DIRECTORY);
    if (end == std::string::npos) return current;
    start = end + 1;
  }
}

}  // namespace cleanroom::formats
