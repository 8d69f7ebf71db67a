// RLIMIT_NPROC counts per uid, and a sandbox's root can switch among every uid
// of its map, so the sandbox's own nproc limit holds no fork bomb. But since
// Linux 5.14 the kernel also charges every process of a user namespace to the
// namespace's creator, one level up, and checks that count against the
// creator's RLIMIT_NPROC as it was when the namespace was made (ucounts'
// rlimit_max). Lowering the helper's limit just before the clone therefore caps
// the whole sandbox, whatever uids it uses. That is the fallback for a normal
// user where no cgroup can be made (cgroup v1). Namespaces made by host root
// are exempt from this check; root gets a cgroup instead.
#include "namespace_nproc.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "cleanroom/base/user_namespace.h"

namespace cleanroom::sandbox::helper {

namespace {

// Processes already charged where the sandbox's will be: those of our real
// uid as this namespace shows them (an overcount inside cleanroom's own
// namespace, where the user's processes outside show as ours too).
std::uint64_t processes_of_our_uid() {
  DIR* proc = ::opendir("/proc");
  if (!proc) return 0;
  std::uint64_t count = 0;
  uid_t me = ::getuid();
  char path[300], line[256];
  while (dirent* d = ::readdir(proc)) {
    if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
    std::snprintf(path, sizeof path, "/proc/%s/status", d->d_name);
    FILE* f = std::fopen(path, "re");
    if (!f) continue;
    while (std::fgets(line, sizeof line, f)) {
      unsigned real = 0;
      if (std::sscanf(line, "Uid: %u", &real) == 1) {
        if (real == me) ++count;
        break;
      }
    }
    std::fclose(f);
  }
  ::closedir(proc);
  return count;
}

}  // namespace

void cap_namespace_processes(std::uint64_t pids_limit) {
  if (pids_limit == 0 || (::geteuid() == 0 && zero_is_host_root("/proc/self/uid_map"))) return;
  struct rlimit current;
  if (::getrlimit(RLIMIT_NPROC, &current) != 0) return;
  rlim_t cap = static_cast<rlim_t>(pids_limit + processes_of_our_uid());
  if (current.rlim_max != RLIM_INFINITY && current.rlim_max < cap) cap = current.rlim_max;
  struct rlimit lowered = {cap, cap};
  ::setrlimit(RLIMIT_NPROC, &lowered);  // only ever lowered: cannot fail but for EPERM on raising
}

}  // namespace cleanroom::sandbox::helper
