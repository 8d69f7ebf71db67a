// Removing a directory of the store (a snapshot, a layer) in two halves: moved
// into tmp/ under the store lock, so nobody finds it half deleted, then
// deleted after the lock is released. A crash while deleting leaves a stale
// work dir, cleaned at the next open.
#pragma once

#include <string>

#include "cleanroom/base/file_lock.h"

namespace cleanroom::store {

class Store;

struct RetiredDir {
  std::string dir;
  FileLock owner;  // keeps the stale clean-up of other processes away from it
};

// The caller holds the store lock exclusively. label names the move in tmp/.
RetiredDir retire_dir(const Store& store, const std::string& from, const std::string& label);
// Never throws: what is left goes at a later open.
void delete_retired(const RetiredDir& retired);

}  // namespace cleanroom::store
