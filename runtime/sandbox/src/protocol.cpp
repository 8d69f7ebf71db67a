#include "cleanroom/sandbox/protocol.h"

#include <errno.h>

namespace cleanroom::sandbox {

const char* step_name(SetupStep step) {
  switch (step) {
    case SetupStep::UserNamespace: return "create namespaces";
    case SetupStep::IdMaps: return "write uid/gid maps";
    case SetupStep::SetIds: return "become uid 0 in the namespace";
    case SetupStep::Hostname: return "set hostname";
    case SetupStep::MakePrivate: return "make mounts private";
    case SetupStep::BaseTmpfs: return "mount the staging tmpfs";
    case SetupStep::PivotBase: return "pivot into the staging tmpfs";
    case SetupStep::OverlayRoot: return "mount the overlay root";
    case SetupStep::Proc: return "mount /proc";
    case SetupStep::Tmpfs: return "mount a tmpfs";
    case SetupStep::Devpts: return "mount /dev/pts";
    case SetupStep::Bind: return "bind mount";
    case SetupStep::BindReadOnly: return "make a bind mount read-only";
    case SetupStep::Symlink: return "create a symlink";
    case SetupStep::MakeDir: return "create a mount point";
    case SetupStep::Loopback: return "bring up the loopback interface";
    case SetupStep::DetachOldRoot: return "detach the host's root";
    case SetupStep::PivotRoot: return "pivot_root into the sandbox";
    case SetupStep::Rlimits: return "set resource limits";
    case SetupStep::Workdir: return "change to the working directory";
    case SetupStep::Capabilities: return "drop capabilities";
    case SetupStep::NoNewPrivs: return "set no_new_privs";
    case SetupStep::Seccomp: return "install the seccomp filter";
    case SetupStep::Exec: return "run the command";
    case SetupStep::ParentDied: return "wait for the helper";
    case SetupStep::Personality: return "set the linux32 personality";
    case SetupStep::Cgroup: return "move into the sandbox's cgroup";
    case SetupStep::CgroupNamespace: return "create the cgroup namespace";
  }
  return "unknown step";
}

std::string step_hint(SetupStep step, int err) {
  switch (step) {
    case SetupStep::UserNamespace:
      if (err == ENOSPC) return "check the sysctl user.max_user_namespaces (must be > 0)";
      if (err == EPERM || err == EACCES)
        return "unprivileged user namespaces are disabled: set the sysctl "
               "kernel.unprivileged_userns_clone=1 (Debian) or "
               "kernel.apparmor_restrict_unprivileged_userns=0, or run inside a container "
               "that allows them";
      if (err == EINVAL) return "the kernel lacks user, pid or network namespace support";
      return "";
    case SetupStep::IdMaps:
      return "as root the store's id range must be free; as a user, newuidmap/newgidmap "
             "(package uidmap) and ranges in /etc/subuid and /etc/subgid are needed for "
             "more than one id";
    case SetupStep::OverlayRoot:
      return "overlayfs inside a user namespace needs Linux >= 5.11 and a lower directory "
             "on a filesystem overlayfs supports (not overlayfs itself on older kernels)";
    case SetupStep::Proc:
      return "mounting /proc in a user namespace fails when the host's /proc is partly "
             "masked (as in some containers)";
    case SetupStep::Seccomp: return "the kernel needs CONFIG_SECCOMP_FILTER";
    case SetupStep::Cgroup:
      return "'cleanroom doctor' says which limits this host can enforce; --memory-limit 0 "
             "--pids-limit 0 runs without a cgroup";
    case SetupStep::MakeDir:
    case SetupStep::Bind:
    case SetupStep::Symlink:
      if (is_path_conflict(step, err))
        return "the snapshot has a file where a directory is needed, or the other way round; "
               "choose another --workdir or bind target";
      return "";
    default: return "";
  }
}

bool is_path_conflict(SetupStep step, int err) {
  bool places = step == SetupStep::MakeDir || step == SetupStep::Bind || step == SetupStep::Symlink;
  return places && (err == ENOTDIR || err == EEXIST || err == EISDIR);
}

}  // namespace cleanroom::sandbox
