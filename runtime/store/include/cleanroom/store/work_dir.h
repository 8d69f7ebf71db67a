// A work directory under <store>/tmp, owned by this process. It holds an
// exclusive flock on its own "owner.lock" for its whole life, so Store's stale
// clean-up can tell a live one (lock busy) from one left by a killed process
// (lock free) without trusting pids. Removed with everything in it when dropped.
#pragma once

#include <optional>
#include <string>

#include "cleanroom/base/file_lock.h"
#include "cleanroom/base/temp_dir.h"

namespace cleanroom::store {

class Store;

class WorkDir {
 public:
  explicit WorkDir(const Store& store);
  const std::string& path() const { return dir_.path(); }

 private:
  // The store lock is held (shared) while the directory exists without its lock,
  // so the clean-up (which takes it exclusively) never sees it half made.
  WorkDir(const Store& store, FileLock held_store_lock);
  // Declared first so it is released last, after the directory is gone.
  std::optional<FileLock> lock_;
  TempDir dir_;
};

}  // namespace cleanroom::store
