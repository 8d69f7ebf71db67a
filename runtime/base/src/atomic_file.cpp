#include "cleanroom/base/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"

namespace cleanroom {

namespace {

// From the kernel's random pool: a name nobody can know before it exists is a
// name nobody can plant a FIFO or a link at.
std::string random_suffix() {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  unsigned char bytes[12];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("getrandom");
    got += static_cast<std::size_t>(n);
  }
  std::string s;
  for (unsigned char b : bytes) s += digits[b % 36];
  return s;
}

// A new file at a new name: O_EXCL never opens what is there (a FIFO, a link
// or a file) and O_NONBLOCK makes sure nothing can make the open wait. Born
// with mode 0 and given its mode only once locked, so remove_stale_temps can
// tell a temporary still being born from one whose writer is gone.
UniqueFd create_temp(const std::string& stem, unsigned mode, std::string& temp) {
  for (int attempt = 0;; ++attempt) {
    temp = stem + random_suffix();
    int raw = ::open(temp.c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
    if (raw < 0 && errno == EEXIST && attempt < 8) continue;
    if (raw < 0) throw_errno("create '" + temp + "'");
    UniqueFd fd(raw);
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0 ||
        ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 || ::fchmod(fd.get(), mode) != 0) {
      int err = errno;
      ::unlink(temp.c_str());
      throw_errno("prepare '" + temp + "'", err);
    }
    return fd;
  }
}

// Temporaries of this target that a writer killed by SIGKILL left behind: our
// own regular files, with their mode set (so locked once) and now unlocked.
// Anything else at such a name (someone's FIFO, link or file) is left alone.
void remove_stale_temps(const std::string& dir, const std::string& prefix) {
  int raw_dir = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw_dir < 0) return;  // creating the temporary will say what is wrong
  UniqueFd dir_fd(raw_dir);
  std::vector<std::string> names;
  try {
    names = list_dir(dir_fd.get(), dir);
  } catch (const Error&) {
    return;  // an unlistable directory only keeps its leftovers
  }
  for (const auto& name : names) {
    if (!name.starts_with(prefix)) continue;
    int raw = ::openat(dir_fd.get(), name.c_str(),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (raw < 0) continue;
    UniqueFd fd(raw);
    struct stat st, now;
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        st.st_uid != ::geteuid() || (st.st_mode & 07777) == 0 ||
        ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
      continue;
    // The name still holds the file judged above, not one put there since.
    if (::fstatat(dir_fd.get(), name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0 &&
        now.st_dev == st.st_dev && now.st_ino == st.st_ino)
      ::unlinkat(dir_fd.get(), name.c_str(), 0);
  }
}

}  // namespace

void fsync_dir(const std::string& dir) {
  UniqueFd fd = open_fd(dir, O_RDONLY | O_DIRECTORY);
  // Some filesystems (tmpfs on old kernels) refuse fsync on directories: harmless.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno("fsync '" + dir + "'");
}

AtomicFile::AtomicFile(std::string target, unsigned mode) : target_(std::move(target)) {
  // A dot-prefixed sibling: same filesystem, so rename(2) is atomic.
  std::string prefix = "." + file_name(target_) + ".tmp-";
  remove_stale_temps(parent_dir(target_), prefix);
  fd_ = create_temp(parent_dir(target_) + "/" + prefix, mode, temp_);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(std::move(other.fd_)),
      committed_(std::exchange(other.committed_, true)) {}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view data) { write_all(fd_.get(), data, "'" + temp_ + "'"); }

void AtomicFile::commit() {
  if (::fsync(fd_.get()) != 0) throw_errno("fsync '" + temp_ + "'");
  // Renamed while still locked: nobody can take the temporary name over
  // between the last write and the rename.
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    throw_errno("rename '" + temp_ + "' to '" + target_ + "'");
  committed_ = true;
  fd_.close(target_.c_str());
  fsync_dir(parent_dir(target_));
}

void write_file_atomic(const std::string& path, std::string_view data, unsigned mode) {
  AtomicFile file(path, mode);
  file.write(data);
  file.commit();
}

std::string read_file(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY);
  return read_all(fd.get(), "'" + path + "'");
}

}  // namespace cleanroom
