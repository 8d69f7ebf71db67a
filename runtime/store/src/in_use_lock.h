// The in-use lock of a snapshot or a layer: held shared by whoever runs on
// it, so that removal (which takes it exclusively) leaves it alone meanwhile.
#pragma once

#include <memory>
#include <string>

#include "cleanroom/base/file_lock.h"

namespace cleanroom::store {

// Taken by the caller under the store lock, so that no removal slips in
// between. nullptr for a store this user may read but not write (root's, seen
// by a user): nobody can remove anything from it through us either.
std::shared_ptr<FileLock> hold_in_use(const std::string& lock_path);

}  // namespace cleanroom::store
