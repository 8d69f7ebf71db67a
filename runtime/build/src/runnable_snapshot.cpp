#include "runnable_snapshot.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

#include "cleanroom/base/error.h"
#include "cleanroom/sandbox/seccomp_policy.h"

namespace cleanroom::build {

namespace {

bool runnable(const std::string& arch) {
  std::vector<std::string> arches = sandbox::runnable_debian_arches();
  return arches.empty() || std::find(arches.begin(), arches.end(), arch) != arches.end();
}

// A name, an id or an id prefix; nullopt when nothing matches.
std::optional<store::SnapshotInfo> find_snapshot(const store::Store& store, const std::string& name) {
  try {
    return store.resolve(name);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) throw;
    return std::nullopt;
  }
}

}  // namespace

store::SnapshotInfo use_runnable_snapshot(store::Store& store, const std::string& name) {
  store::SnapshotInfo snapshot = store.use(name);
  if (!snapshot.arch.empty() && !runnable(snapshot.arch))
    throw_input(fmt::format(
        "snapshot '{}' holds {} programs, but a sandbox here runs only {} ones (its seccomp "
        "filter admits those system call ABIs alone); use a snapshot created for one of those",
        name, snapshot.arch, fmt::join(sandbox::runnable_debian_arches(), " or ")));
  return snapshot;
}

std::string snapshot_for_arch(const store::Store& store, const std::string& name,
                              const std::string& arch) {
  if (arch.empty()) return name;
  if (!runnable(arch))
    throw_input(fmt::format("--arch {}: a sandbox here runs only {} programs", arch,
                            fmt::join(sandbox::runnable_debian_arches(), " or ")));
  std::optional<store::SnapshotInfo> named = find_snapshot(store, name);
  if (named && named->arch == arch) return name;
  std::string with_arch = name + "-" + arch;
  if (std::optional<store::SnapshotInfo> other = find_snapshot(store, with_arch)) {
    if (other->arch != arch)
      throw_input(fmt::format("--arch {}: snapshot '{}' holds {} programs; recreate it with "
                              "--arch {}",
                              arch, with_arch, other->arch, arch));
    return with_arch;
  }
  std::string suite = named && !named->suite.empty() ? named->suite : name;
  throw_input(fmt::format("--arch {}: snapshot '{}' is {} and there is no snapshot '{}'; create "
                          "it: cleanroom snapshot create {} --arch {} --name {}",
                          arch, name, named ? named->arch : "missing", with_arch, suite, arch,
                          with_arch));
}

}  // namespace cleanroom::build
