#include "cleanroom/pipeline/doctor.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/byte_size.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/sandbox/cgroup_limits.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/sandbox/seccomp_policy.h"
#include "cleanroom/store/id_map.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/runnable_snapshot.h"

namespace cleanroom::build {

namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Forks a child that tries the namespaces a sandbox needs; the parent only waits.
bool can_unshare(int flags) {
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) ::_exit(::unshare(flags) == 0 ? 0 : 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

DoctorCheck program(const std::string& name, const std::string& package, bool required,
                    const std::string& why) {
  std::string path = find_program(name);
  if (!path.empty()) return {name, CheckLevel::Ok, path, ""};
  return {name, required ? CheckLevel::Missing : CheckLevel::Warning,
          "not installed (" + why + ")", "apt-get install " + package};
}

DoctorCheck user_namespaces() {
  std::string max = read_first_line("/proc/sys/user/max_user_namespaces");
  if (max == "0")
    return {"user namespaces", CheckLevel::Missing, "user.max_user_namespaces = 0",
            "sysctl -w user.max_user_namespaces=15000"};
  std::string legacy = read_first_line("/proc/sys/kernel/unprivileged_userns_clone");
  if (!host_user().root() && legacy == "0")
    return {"user namespaces", CheckLevel::Missing, "kernel.unprivileged_userns_clone = 0",
            "sysctl -w kernel.unprivileged_userns_clone=1"};
  int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS |
              CLONE_NEWIPC;
  if (!can_unshare(flags))
    return {"user namespaces", CheckLevel::Missing, "unshare(user, mount, pid, net, uts, ipc) refused",
            "check kernel.apparmor_restrict_unprivileged_userns and user.max_*_namespaces"};
  return {"user namespaces", CheckLevel::Ok, "user, mount, pid, net, uts, ipc", ""};
}

DoctorCheck overlayfs() {
  std::ifstream in("/proc/filesystems");
  std::string line;
  while (std::getline(in, line))
    if (line.find("overlay") != std::string::npos)
      return {"overlayfs", CheckLevel::Ok, "available", ""};
  return {"overlayfs", CheckLevel::Warning, "not listed in /proc/filesystems (module not loaded?)",
          "modprobe overlay"};
}

std::string range_text(std::uint32_t start, std::uint32_t count) {
  return fmt::format("{}-{}", start, std::uint64_t{start} + count - 1);
}

// Which of the three id modes (docs/store.md) this user gets, and how to get
// the full one. recorded: the store's map when the store exists.
DoctorCheck id_mode(const std::optional<store::IdMap>& recorded) {
  if (host_user().root())
    return {"id map", CheckLevel::Ok,
            "root: the store's own unprivileged range; /etc/subuid is not needed", ""};
  store::HostIdentity me = store::current_host_identity();
  std::string user = me.user_name.empty() ? std::to_string(me.uid) : me.user_name;
  std::string add_range = fmt::format(
      "as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {}", user);
  std::optional<store::IdMap> wanted = store::subordinate_id_map(me);
  auto full = [&](const store::IdMap& m, const std::string& whose) {
    return DoctorCheck{"id map", CheckLevel::Ok,
                       fmt::format("full ({}): inside 0 is you, 1-{} are your subordinate ids {}",
                                   whose, m.count - 1, range_text(m.sub_uid_base, m.count - 1)),
                       ""};
  };
  if (recorded && recorded->subordinate()) return full(*recorded, "this store");
  const char* degraded =
      "one id: apt does not switch to _apt, builds run as the sandbox's root, verify skips the "
      "user variation";
  if (recorded) {
    std::string fix = wanted ? "a new store gets the full map (--store DIR); this one keeps its own"
                             : add_range + ", then use a new store (--store DIR)";
    return {"id map", CheckLevel::Warning, fmt::format("{} (this store was made so)", degraded),
            fix};
  }
  if (!wanted)
    return {"id map", CheckLevel::Warning,
            fmt::format("{}: no range of 65535 ids for {} in /etc/subuid and /etc/subgid",
                        degraded, user),
            add_range};
  if (!me.map_helpers)
    return {"id map", CheckLevel::Warning,
            fmt::format("{}: newuidmap/newgidmap are missing", degraded),
            "apt-get install uidmap (before the store is made)"};
  return full(*wanted, "a new store");
}

// Dependency layers grow with every new set of build dependencies.
std::string layers_summary(const store::Store& store) {
  store::LayerCache cache(store);
  std::uint64_t bytes = 0;
  auto layers = cache.list();
  for (const auto& l : layers) bytes += cache.disk_usage(l);
  return fmt::format("{} dependency layer{}, {} (cleanroom cache list, cache prune)", layers.size(),
                     layers.size() == 1 ? "" : "s", human_size(bytes));
}

DoctorCheck store_check(const std::string& store_path, std::optional<store::IdMap>& recorded) {
  std::string path = store::default_store_path(store_path);
  // Looking must not make one: the id map is chosen when a store is born.
  if (!path_exists(path + "/store.json"))
    return {"store", CheckLevel::Warning, path + ": not made yet (the first command that needs it makes it)",
            "cleanroom snapshot create bookworm"};
  try {
    store::Store store(path);
    recorded = store.recorded_id_map();
    auto snapshots = store.list();
    if (snapshots.empty())
      return {"store", CheckLevel::Warning, path + ": no snapshot yet",
              "cleanroom snapshot create bookworm"};
    std::string names = join(snapshots, ", ", [](const store::SnapshotInfo& s) {
      return s.names.empty() ? s.id.substr(0, 12) : s.names[0];
    });
    return {"store", CheckLevel::Ok, path + ": " + names + "; " + layers_summary(store), ""};
  } catch (const std::exception& e) {
    return {"store", CheckLevel::Missing, e.what(), "pass --store DIR or set CLEANROOM_STORE"};
  }
}

// Which of the sandbox's default limits this host lets cleanroom enforce (see
// docs/security.md): the tmpfs budget holds everywhere; memory and process
// count need a cgroup cleanroom may manage.
DoctorCheck limits() {
  sandbox::CgroupSupport cgroup = sandbox::probe_cgroup_support();
  std::string disk = fmt::format("disk {} (tmpfs)", human_size(sandbox::SandboxOptions::default_disk_limit()));
  if (cgroup.available)
    return {"limits", CheckLevel::Ok,
            fmt::format("{}, memory {} and {} processes ({})", disk,
                        human_size(sandbox::SandboxOptions::default_memory_limit()),
                        sandbox::SandboxOptions::kDefaultPidsLimit, cgroup.how),
            ""};
  return {"limits", CheckLevel::Warning,
          fmt::format("{}, {} processes (charged to the sandbox's namespace); no memory limit: {}",
                      disk, sandbox::SandboxOptions::kDefaultPidsLimit, cgroup.how),
          "run as root, or on cgroup v2 with a delegated subtree (systemd-run --user --scope -p Delegate=yes)"};
}

DoctorCheck sandbox_helper() {
  try {
    return {"sandbox helper", CheckLevel::Ok, sandbox::find_helper(), ""};
  } catch (const std::exception& e) {
    return {"sandbox helper", CheckLevel::Missing, e.what(),
            "install cleanroom-sandbox next to cleanroom or set CLEANROOM_SANDBOX_HELPER"};
  }
}

// The 32-bit architecture a sandbox here can run beside the native one (i386
// on amd64), when the kernel has its 32-bit entry.
DoctorCheck second_arch() {
  std::vector<std::string> arches = sandbox::runnable_debian_arches();
  if (arches.size() < 2) return {"other arch", CheckLevel::Ok, "none beside the native one", ""};
  const std::string& arch = arches[1];
  KernelArchCheck kernel = check_kernel_runs(arch);
  if (!kernel.arch_test_installed)
    return {"other arch", CheckLevel::Warning,
            fmt::format("arch-test not installed (snapshot create --arch {} needs it)", arch),
            "apt-get install arch-test"};
  if (!kernel.runs)
    return {"other arch", CheckLevel::Warning,
            fmt::format("this kernel cannot run {} programs (build --arch {} will not work)", arch,
                        arch),
            "a kernel with CONFIG_IA32_EMULATION, booted without ia32_emulation=0"};
  return {"other arch", CheckLevel::Ok, fmt::format("{} (build --arch {})", arch, arch), ""};
}

}  // namespace

std::vector<DoctorCheck> run_doctor(const std::string& store_path) {
  // Namespaces are tried before the store is opened: opening a store with a
  // subordinate range enters its user namespace.
  DoctorCheck namespaces = user_namespaces();
  std::optional<store::IdMap> recorded;
  DoctorCheck store = store_check(store_path, recorded);
  return {
      namespaces,
      overlayfs(),
      id_mode(recorded),
      limits(),
      sandbox_helper(),
      store,
      program("mmdebstrap", "mmdebstrap", false, "snapshot create falls back to debootstrap"),
      program("debootstrap", "debootstrap", false, "fallback for snapshot create"),
      program("newuidmap", "uidmap", false, "needed for subordinate id ranges"),
      program("reprepro", "reprepro", false, "needed by cleanroom publish"),
      program("diffoscope", "diffoscope", false, "optional: cleanroom diff --diffoscope"),
      second_arch(),
  };
}

int doctor_exit_code(const std::vector<DoctorCheck>& checks) {
  bool have_bootstrap = false;
  for (const auto& c : checks) {
    if ((c.name == "mmdebstrap" || c.name == "debootstrap") && c.level == CheckLevel::Ok)
      have_bootstrap = true;
    if (c.level == CheckLevel::Missing) return 3;
  }
  return have_bootstrap ? 0 : 3;
}

}  // namespace cleanroom::build
