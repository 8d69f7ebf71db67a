#include "cleanroom/pipeline/doctor.h"

#include <pwd.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/process.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/sandbox/seccomp_policy.h"
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
  if (::geteuid() != 0 && legacy == "0")
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

DoctorCheck subordinate_ids() {
  if (::geteuid() == 0)
    return {"subordinate ids", CheckLevel::Ok,
            "root: the store's own unprivileged range is used, /etc/subuid is not needed", ""};
  passwd* pw = ::getpwuid(::geteuid());
  std::string user = pw ? pw->pw_name : std::to_string(::geteuid());
  std::ifstream in("/etc/subuid");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(user + ":", 0) == 0 || line.rfind(std::to_string(::geteuid()) + ":", 0) == 0)
      return {"subordinate ids", CheckLevel::Ok, line, ""};
  return {"subordinate ids", CheckLevel::Warning,
          "no /etc/subuid range for " + user + ": sandboxes map only your own uid",
          fmt::format("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {}", user)};
}

DoctorCheck store_check(const std::string& store_path) {
  std::string path = store::default_store_path(store_path);
  try {
    store::Store store(path);
    auto snapshots = store.list();
    if (snapshots.empty())
      return {"store", CheckLevel::Warning, path + ": no snapshot yet",
              "cleanroom snapshot create bookworm"};
    std::string names = join(snapshots, ", ", [](const store::SnapshotInfo& s) {
      return s.names.empty() ? s.id.substr(0, 12) : s.names[0];
    });
    return {"store", CheckLevel::Ok, path + ": " + names, ""};
  } catch (const std::exception& e) {
    return {"store", CheckLevel::Missing, e.what(), "pass --store DIR or set CLEANROOM_STORE"};
  }
}

DoctorCheck cgroups() {
  bool v2 = path_exists("/sys/fs/cgroup/cgroup.controllers");
  return {"cgroups", CheckLevel::Ok, v2 ? "v2" : "v1 (limits use rlimits only)", ""};
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
  return {
      user_namespaces(),
      overlayfs(),
      subordinate_ids(),
      cgroups(),
      sandbox_helper(),
      store_check(store_path),
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
