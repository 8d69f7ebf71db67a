#include "retired_dir.h"

#include <unistd.h>

#include <cstdio>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

RetiredDir retire_dir(const Store& store, const std::string& from, const std::string& label) {
  std::string to = fmt::format("{}/{}-removed-{}", store.tmp_dir(), ::getpid(), label);
  if (::rename(from.c_str(), to.c_str()) != 0)
    throw_errno(fmt::format("move '{}' to '{}'", from, to));
  fsync_dir(parent_dir(from));
  return RetiredDir{to, FileLock(to + "/owner.lock", LockMode::Exclusive)};
}

// The dir is already out of its place, so the command has done its work.
// Another process's stale clean-up may meet it half deleted and, taking its
// owner.lock, create that file again (the final rmdir then fails with
// ENOTEMPTY): whatever is left goes at a later open, as after a crash.
void delete_retired(const RetiredDir& retired) {
  try {
    remove_tree(retired.dir);
  } catch (const Error& e) {
    log::debug(fmt::format("removed '{}': {}", retired.dir, e.what()));
  }
}

}  // namespace cleanroom::store
