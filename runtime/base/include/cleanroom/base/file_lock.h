// An exclusive or shared flock(2) on a lock file, released when the owner goes
// away, including when the process is killed: the kernel drops flocks with the
// last fd, so no stale lock can outlive a SIGKILL.
#pragma once

#include <optional>
#include <string>

#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

enum class LockMode { Shared, Exclusive };

class FileLock {
 public:
  // Blocks until the lock is held. Creates the lock file if needed.
  FileLock(const std::string& path, LockMode mode);
  // Non-blocking attempt: valid() is false when someone else holds it.
  static FileLock try_lock(const std::string& path, LockMode mode);
  // The same on a lock file that must already exist: nullopt when it does not
  // (another process's file, which this one must never create).
  static std::optional<FileLock> try_lock_existing(const std::string& path, LockMode mode);

  bool valid() const { return fd_.valid(); }

 private:
  FileLock() = default;
  UniqueFd fd_;
};

}  // namespace cleanroom
