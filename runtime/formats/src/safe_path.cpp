#include "cleanroom/formats/safe_path.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/open_beneath.h"

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

UniqueFd open_beneath(int root_fd, const std::string& rel, int flags) {
  int fd = open_beneath_raw(root_fd, rel, flags);
  if (fd >= 0) return UniqueFd(fd);
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
