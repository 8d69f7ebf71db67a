#include "cleanroom/store/work_dir.h"

#include <unistd.h>

#include <fmt/format.h>

#include "cleanroom/store/store.h"

namespace cleanroom::store {

WorkDir::WorkDir(const Store& store) : WorkDir(store, FileLock(store.lock_path(), LockMode::Shared)) {}

WorkDir::WorkDir(const Store& store, FileLock /*held_store_lock*/)
    : dir_(fmt::format("{}-", ::getpid()), store.tmp_dir()) {
  lock_.emplace(dir_.path() + "/owner.lock", LockMode::Exclusive);
}

}  // namespace cleanroom::store
