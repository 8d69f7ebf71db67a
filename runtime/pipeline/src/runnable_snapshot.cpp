#include "cleanroom/pipeline/runnable_snapshot.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/sandbox/seccomp_policy.h"

namespace cleanroom::build {

namespace {

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

bool sandbox_runs(const std::string& arch) {
  std::vector<std::string> arches = sandbox::runnable_debian_arches();
  return arches.empty() || std::find(arches.begin(), arches.end(), arch) != arches.end();
}

std::string runnable_arches_text() {
  return fmt::format("{}", fmt::join(sandbox::runnable_debian_arches(), " or "));
}

KernelArchCheck check_kernel_runs(const std::string& arch) {
  KernelArchCheck check;
  check.arch_test_installed = !find_program("arch-test").empty();
  if (!check.arch_test_installed) return check;
  ProcessSpec spec;
  spec.argv = {"arch-test", arch};
  ProcessResult r = run_process(spec, true);
  check.runs = r.status == 0;
  if (!check.runs) check.detail = r.output.substr(0, r.output.find('\n'));
  return check;
}

store::SnapshotInfo use_runnable_snapshot(store::Store& store, const std::string& name) {
  store::SnapshotInfo snapshot = store.use(name);
  if (!snapshot.arch.empty() && !sandbox_runs(snapshot.arch))
    throw_input(fmt::format(
        "snapshot '{}' holds {} programs, but a sandbox here runs only {} ones (its seccomp "
        "filter admits those system call ABIs alone); use a snapshot created for one of those",
        name, snapshot.arch, runnable_arches_text()));
  return snapshot;
}

std::string snapshot_for_arch(const store::Store& store, const std::string& name,
                              const std::string& arch) {
  if (arch.empty()) return name;
  if (!sandbox_runs(arch))
    throw_input(fmt::format("--arch {}: a sandbox here runs only {} programs", arch,
                            runnable_arches_text()));
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
