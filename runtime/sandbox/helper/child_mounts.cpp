// Building the sandbox's root, security-relevant. In the private mount namespace
// the helper's child first makes every mount private (nothing propagates back to
// the host), mounts a staging tmpfs over /tmp and pivots into it, so the host's
// tree sits at /oldroot and every host path of the plan is reached as
// /oldroot/PATH. The overlay root goes on /newroot; each mount point inside it is
// resolved with openat2(RESOLVE_IN_ROOT), so a symlink in the snapshot (say
// /build -> /oldroot/etc) cannot redirect a mount outside the new root. At the
// end the host's tree is detached and a second pivot_root makes /newroot "/",
// with the staging tmpfs (the throw-away upper) detached as well.
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "child.h"

namespace cleanroom::sandbox::helper {

namespace {

int openat2_in_root(int root, const char* path, int flags) {
  struct open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  int fd;
  do {
    fd = static_cast<int>(::syscall(SYS_openat2, root, path, &how, sizeof how));
  } while (fd < 0 && errno == EAGAIN);
  return fd;
}

// Opens (O_PATH) the path below root, creating missing directories, and the
// last component as a directory or an empty file. Returns -1 with errno set.
int open_creating(int root, const char* rel, bool last_is_dir, bool create_last = true) {
  if (rel[0] == '\0') return ::fcntl(root, F_DUPFD_CLOEXEC, 0);
  char path[PATH_MAX];
  std::size_t len = std::strlen(rel);
  if (len >= sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(path, rel, len + 1);
  int parent = ::fcntl(root, F_DUPFD_CLOEXEC, 0);
  if (parent < 0) return -1;
  std::size_t start = 0;
  while (start < len) {
    std::size_t end = start;
    while (end < len && path[end] != '/') ++end;
    bool last = end == len;
    path[end] = '\0';
    const char* name = path + start;
    bool want_dir = !last || last_is_dir;
    int fd = openat2_in_root(root, path, O_PATH | (want_dir ? O_DIRECTORY : 0));
    if (fd < 0 && errno == ENOENT && (!last || create_last)) {
      int rc = want_dir ? ::mkdirat(parent, name, 0755)
                        : ::openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (rc >= 0 && !want_dir) ::close(rc);
      if (rc < 0 && errno != EEXIST) {
        int err = errno;
        ::close(parent);
        errno = err;
        return -1;
      }
      fd = openat2_in_root(root, path, O_PATH | (want_dir ? O_DIRECTORY : 0));
    }
    if (fd < 0) {
      int err = errno;
      ::close(parent);
      errno = err;
      return -1;
    }
    ::close(parent);
    parent = fd;
    if (!last) path[end] = '/';
    start = end + 1;
  }
  return parent;
}

// "/oldroot/proc/self/fd/N": mount(2) on the very inode an O_PATH fd holds, so
// the target cannot be swapped between resolving and mounting.
void fd_path(int fd, char (&buf)[64]) {
  static constexpr char prefix[] = "/oldroot/proc/self/fd/";
  std::memcpy(buf, prefix, sizeof prefix);
  char digits[16];
  int n = 0;
  unsigned v = static_cast<unsigned>(fd);
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  std::size_t pos = sizeof prefix - 1;
  while (n) buf[pos++] = digits[--n];
  buf[pos] = '\0';
}

bool split_parent(const char* rel, char (&parent)[PATH_MAX], const char*& name) {
  std::size_t len = std::strlen(rel);
  if (len >= PATH_MAX) return false;
  std::memcpy(parent, rel, len + 1);
  char* slash = std::strrchr(parent, '/');
  if (!slash) {
    parent[0] = '\0';
    name = rel;
  } else {
    *slash = '\0';
    name = rel + (slash - parent) + 1;
  }
  return true;
}

void mount_fs(int root, const PreparedMount& m, const char* fstype, unsigned long flags,
              SetupStep step, int error_fd, int index) {
  int fd = open_creating(root, m.target, true);
  if (fd < 0) child_fail(error_fd, SetupStep::MakeDir, errno, index);
  char target[64];
  fd_path(fd, target);
  if (::mount(fstype, target, fstype, flags, m.data) != 0) child_fail(error_fd, step, errno, index);
  ::close(fd);
}

void bind(int root, const PreparedMount& m, int error_fd, int index) {
  int target = open_creating(root, m.target, m.source_is_dir);
  if (target < 0) child_fail(error_fd, SetupStep::MakeDir, errno, index);
  int tree = m.tree_fd;
  if (tree < 0) {
    // A recursive clone: binding only the top of a tree whose submounts the
    // kernel has locked (as in any user namespace) is refused.
    tree = static_cast<int>(::open_tree(AT_FDCWD, m.source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (tree < 0) child_fail(error_fd, SetupStep::Bind, errno, index);
    // Set on the detached tree before it is attached, recursively, so there is
    // no moment where the bind is writable, and flags the kernel locked
    // (nosuid, nodev of a host mount) are kept instead of failing a remount.
    struct mount_attr attr = bind_attributes(m);
    if (::mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
      child_fail(error_fd, SetupStep::BindReadOnly, errno, index);
  }
  if (::move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
    child_fail(error_fd, SetupStep::Bind, errno, index);
  // The helper's copy stays with the helper; this process's copy of a
  // detached tree is not needed once attached.
  ::close(tree);
  ::close(target);
}

// /tmp and /dev/shm are directories of the staging tmpfs, bound in, so they and
// the overlay's upper draw on the one size budget of that tmpfs.
void scratch(int root, const PreparedMount& m, int error_fd, int index) {
  if (::mkdir(m.source, 0700) != 0 || ::chmod(m.source, m.scratch_mode) != 0)
    child_fail(error_fd, SetupStep::Tmpfs, errno, index);
  bind(root, m, error_fd, index);
}

void symlink_in_root(int root, const PreparedMount& m, int error_fd, int index) {
  char parent_path[PATH_MAX];
  const char* name = nullptr;
  if (!split_parent(m.target, parent_path, name)) child_fail(error_fd, SetupStep::Symlink, ENAMETOOLONG, index);
  int parent = open_creating(root, parent_path, true);
  if (parent < 0) child_fail(error_fd, SetupStep::MakeDir, errno, index);
  // O_PATH fds cannot take symlinkat; reopen the directory for real.
  int dir = ::openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0 || (::symlinkat(m.source, dir, name) != 0 && errno != EEXIST))
    child_fail(error_fd, SetupStep::Symlink, errno, index);
  ::close(dir);
  ::close(parent);
}

void loopback_up(int error_fd) {
  int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) child_fail(error_fd, SetupStep::Loopback, errno);
  struct ifreq ifr{};
  std::memcpy(ifr.ifr_name, "lo", 3);
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) child_fail(error_fd, SetupStep::Loopback, errno);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  if (::ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) child_fail(error_fd, SetupStep::Loopback, errno);
  ::close(sock);
}

}  // namespace

void build_root(const Prepared& prep, int error_fd) {
  // Nothing mounted from here on may reach the host's mount namespace.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    child_fail(error_fd, SetupStep::MakePrivate, errno);
  if (::mount("tmpfs", kStaging, "tmpfs", MS_NOSUID | MS_NODEV, prep.staging_options) != 0)
    child_fail(error_fd, SetupStep::BaseTmpfs, errno);
  if (::chdir(kStaging) != 0 || ::mkdir("newroot", 0755) != 0 || ::mkdir("oldroot", 0755) != 0 ||
      ::mkdir("upper", 0755) != 0 || ::mkdir("work", 0755) != 0)
    child_fail(error_fd, SetupStep::BaseTmpfs, errno);
  if (::syscall(SYS_pivot_root, ".", "oldroot") != 0 || ::chdir("/") != 0)
    child_fail(error_fd, SetupStep::PivotBase, errno);

  if (::mkdir(kLayerLinks, 0700) != 0) child_fail(error_fd, SetupStep::OverlayRoot, errno, 0);
  for (const LayerLink& link : prep.layer_links)
    if (::symlink(link.target, link.name) != 0) child_fail(error_fd, SetupStep::OverlayRoot, errno, 0);
  const PreparedMount& overlay = prep.mounts[0];
  if (::mount("overlay", kNewRoot, "overlay", 0, overlay.data) != 0)
    child_fail(error_fd, SetupStep::OverlayRoot, errno, 0);
  int root = ::open(kNewRoot, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) child_fail(error_fd, SetupStep::OverlayRoot, errno);

  for (std::size_t i = 1; i < prep.mounts.size(); ++i) {
    const PreparedMount& m = prep.mounts[i];
    int index = static_cast<int>(i);
    unsigned long noexec = m.no_exec ? MS_NOEXEC : 0;
    switch (m.kind) {
      case MountKind::Overlay: child_fail(error_fd, SetupStep::OverlayRoot, EINVAL, index);
      case MountKind::Proc:
        mount_fs(root, m, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, SetupStep::Proc, error_fd, index);
        break;
      case MountKind::Tmpfs:
        mount_fs(root, m, "tmpfs", MS_NOSUID | MS_NODEV | noexec, SetupStep::Tmpfs, error_fd, index);
        break;
      case MountKind::Devpts:
        mount_fs(root, m, "devpts", MS_NOSUID | MS_NOEXEC, SetupStep::Devpts, error_fd, index);
        break;
      case MountKind::Bind: bind(root, m, error_fd, index); break;
      case MountKind::Scratch: scratch(root, m, error_fd, index); break;
      case MountKind::Symlink: symlink_in_root(root, m, error_fd, index); break;
      case MountKind::Dir: {
        int fd = open_creating(root, m.target, true);
        if (fd < 0) child_fail(error_fd, SetupStep::MakeDir, errno, index);
        ::close(fd);
        break;
      }
    }
  }
  ::close(root);
  if (!prep.network) loopback_up(error_fd);

  if (::umount2(kOldRoot, MNT_DETACH) != 0) child_fail(error_fd, SetupStep::DetachOldRoot, errno);
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching
  // "." then removes it (and the staging tmpfs) without needing a directory.
  if (::chdir(kNewRoot) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0)
    child_fail(error_fd, SetupStep::PivotRoot, errno);
  if (::umount2(".", MNT_DETACH) != 0 || ::chdir("/") != 0)
    child_fail(error_fd, SetupStep::DetachOldRoot, errno);
}

}  // namespace cleanroom::sandbox::helper
