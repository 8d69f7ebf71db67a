#include "cleanroom/base/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include "cleanroom/base/error.h"

namespace cleanroom {

namespace {
std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (int i = 0; i < 10; ++i) s += digits[rng() % 36];
  return s;
}

// The usual temporary name of a target, locked by its writer (flock) for as
// long as it writes. A writer killed by SIGKILL leaves it behind unlocked; the
// next writer of the same target takes it over instead of adding another.
UniqueFd claim_usual_temp(const std::string& temp, unsigned mode) {
  int raw = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode);
  if (raw < 0) return UniqueFd();
  UniqueFd fd(raw);
  struct stat st;
  // Someone else's file (a planted link) is never truncated.
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 || ::fstat(fd.get(), &st) != 0 ||
      !S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != ::geteuid())
    return UniqueFd();
  if (::ftruncate(fd.get(), 0) != 0 || ::fchmod(fd.get(), mode) != 0) return UniqueFd();
  return fd;
}
}  // namespace

void fsync_dir(const std::string& dir) {
  UniqueFd fd = open_fd(dir, O_RDONLY | O_DIRECTORY);
  // Some filesystems (tmpfs on old kernels) refuse fsync on directories: harmless.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno("fsync '" + dir + "'");
}

AtomicFile::AtomicFile(std::string target, unsigned mode) : target_(std::move(target)) {
  // A dot-prefixed sibling: same filesystem, so rename(2) is atomic.
  std::string stem = parent_dir(target_) + "/." + file_name(target_) + ".tmp-";
  temp_ = stem + "0";
  fd_ = claim_usual_temp(temp_, mode);
  if (fd_.valid()) return;
  // Another writer of the same target is at work: a name of our own.
  temp_ = stem + random_suffix();
  fd_ = open_fd(temp_, O_WRONLY | O_CREAT | O_EXCL, mode);
  ::flock(fd_.get(), LOCK_EX | LOCK_NB);
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
