#include "cleanroom/base/sandbox_file.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <fmt/format.h>
#include <functional>

#include "cleanroom/base/error.h"
#include "cleanroom/base/open_beneath.h"

namespace cleanroom {

namespace {

const FileSource kBuild{"written by the build", ErrorKind::Failure};

[[noreturn]] void refuse(const FileSource& source, const std::string& shown,
                         const std::string& what) {
  throw Error(source.kind, fmt::format("'{}' {} {}", shown, source.named_by, what));
}

// Checked as text first: the walk open_beneath_raw falls back to relies on
// there being no "..", and an absolute path is a caller's mistake.
void check_relative(const FileSource& source, const std::string& shown,
                    const std::string& relative) {
  bool dotdot = false;
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    if (relative.compare(start, end - start, "..") == 0) dotdot = true;
    start = end + 1;
  }
  if (relative.empty() || relative.front() == '/' || dotdot ||
      relative.find('\0') != std::string::npos)
    refuse(source, shown, "is named by a path that leaves its directory; refusing it");
}

// openat2 says ELOOP for a link anywhere on the way; the message says where.
// The lstat is for the wording only: nothing it finds is read.
const char* link_refusal(int dir_fd, const std::string& relative) {
  struct stat st;
  if (::fstatat(dir_fd, relative.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    return "is a symbolic link; refusing to follow it";
  return "lies beneath a symbolic link; refusing to follow it";
}

const char* type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// The size was checked at open; a process the build left behind may still be
// growing the file, so the cap holds while reading too.
void read_capped(int fd, const FileSource& source, const std::string& shown,
                 std::uint64_t max_bytes,
                 const std::function<void(const char* data, std::size_t size)>& fn) {
  std::uint64_t total = 0;
  for_each_chunk(fd, "'" + shown + "'", [&](const char* data, std::size_t size) {
    total += size;
    if (total > max_bytes) refuse(source, shown, "grew past the size allowed while being read");
    fn(data, size);
  });
}

}  // namespace

UniqueFd open_untrusted_file(const std::string& dir, const std::string& relative,
                             std::uint64_t max_bytes, const FileSource& source) {
  std::string shown = dir + "/" + relative;
  check_relative(source, shown, relative);
  UniqueFd dir_fd = open_fd(dir, O_RDONLY | O_DIRECTORY);
  int raw = open_beneath_raw(dir_fd.get(), relative, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (raw < 0) {
    int err = errno;
    if (err == ELOOP) refuse(source, shown, link_refusal(dir_fd.get(), relative));
    if (err == EXDEV) refuse(source, shown, "leads out of its directory; refusing to follow it");
    if (err == ENOTDIR)
      refuse(source, shown,
             "lies beneath a symbolic link or a non-directory; refusing to follow it");
    if (err == ENXIO) refuse(source, shown, "is a socket, not a regular file; refusing to read it");
    throw_errno(fmt::format("open '{}'", shown), err);
  }
  UniqueFd fd(raw);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw_errno(fmt::format("stat '{}'", shown));
  if (!S_ISREG(st.st_mode))
    refuse(source, shown,
           fmt::format("is {}, not a regular file; refusing to read it", type_name(st.st_mode)));
  // A second link may be a host file the build could reach through a shared
  // mount: what it names is not the build's to hand over.
  if (st.st_nlink != 1)
    refuse(source, shown, fmt::format("has {} hard links; refusing to read it", st.st_nlink));
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    refuse(source, shown,
           fmt::format("is {} bytes, more than the {} allowed; refusing to read it", st.st_size,
                       max_bytes));
  return fd;
}

std::string read_untrusted_file(const std::string& dir, const std::string& relative,
                                std::uint64_t max_bytes, const FileSource& source) {
  UniqueFd fd = open_untrusted_file(dir, relative, max_bytes, source);
  std::string data;
  read_capped(fd.get(), source, dir + "/" + relative, max_bytes,
              [&](const char* chunk, std::size_t size) { data.append(chunk, size); });
  return data;
}

UniqueFd open_sandbox_file(const std::string& dir, const std::string& relative,
                           std::uint64_t max_bytes) {
  return open_untrusted_file(dir, relative, max_bytes, kBuild);
}

std::string read_sandbox_file(const std::string& dir, const std::string& relative,
                              std::uint64_t max_bytes) {
  return read_untrusted_file(dir, relative, max_bytes, kBuild);
}

AtomicFile stage_sandbox_file(const std::string& dir, const std::string& relative,
                              const std::string& target, std::uint64_t max_bytes,
                              unsigned mode) {
  UniqueFd in = open_sandbox_file(dir, relative, max_bytes);
  AtomicFile out(target, mode);
  std::string temp = "'" + out.temp_path() + "'";
  // In pieces: a release's wheelhouse .deb can be hundreds of megabytes.
  read_capped(in.get(), kBuild, dir + "/" + relative, max_bytes,
              [&](const char* data, std::size_t size) { write_all(out.fd(), data, size, temp); });
  return out;
}

void copy_sandbox_file(const std::string& dir, const std::string& relative,
                       const std::string& target, std::uint64_t max_bytes, unsigned mode) {
  stage_sandbox_file(dir, relative, target, max_bytes, mode).commit();
}

}  // namespace cleanroom
