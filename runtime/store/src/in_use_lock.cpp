#include "in_use_lock.h"

#include <cerrno>

#include "cleanroom/base/error.h"

namespace cleanroom::store {

std::shared_ptr<FileLock> hold_in_use(const std::string& lock_path) {
  try {
    return std::make_shared<FileLock>(lock_path, LockMode::Shared);
  } catch (const Error& e) {
    if (e.error_number() != EACCES && e.error_number() != EROFS) throw;
    return nullptr;
  }
}

}  // namespace cleanroom::store
