#include "runnable_snapshot.h"

#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/sandbox/seccomp_policy.h"

namespace cleanroom::build {

store::SnapshotInfo use_runnable_snapshot(store::Store& store, const std::string& name) {
  store::SnapshotInfo snapshot = store.use(name);
  std::string native = sandbox::native_debian_arch();
  if (!native.empty() && !snapshot.arch.empty() && snapshot.arch != native)
    throw_input(fmt::format(
        "snapshot '{}' holds {} programs, but the sandbox runs only {} ones (its seccomp filter "
        "admits that system call ABI alone); use a snapshot created for {}",
        name, snapshot.arch, native, native));
  return snapshot;
}

}  // namespace cleanroom::build
