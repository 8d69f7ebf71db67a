#include "prepared.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/user_namespace.h"

namespace cleanroom::sandbox::helper {

namespace {

std::string host_path(const std::string& path) { return std::string(kOldRoot) + path; }

int read_last_cap() {
  try {
    return std::stoi(read_file("/proc/sys/kernel/cap_last_cap"));
  } catch (const std::exception&) {
    return 40;  // CAP_CHECKPOINT_RESTORE, the last one Linux 6.x knows
  }
}

// The overlay's option string shows in the sandbox's mountinfo: naming the
// layers by links the child makes in the staging tmpfs ("/layers/N" ->
// "/oldroot/PATH") keeps the store's host paths out of it. (fds would not do:
// overlayfs refuses layers on mounts of another mount namespace.)
std::string layer_link(const std::string& path, Prepared& out) {
  std::string name = fmt::format("{}/{}", kLayerLinks, out.layer_links.size());
  out.layer_links.push_back({out.keep(name), out.keep(host_path(path))});
  return name;
}

std::string overlay_options(const MountEntry& m, Prepared& out) {
  std::string lowers;
  std::size_t start = 0;
  while (start <= m.source.size()) {
    auto end = m.source.find(':', start);
    if (end == std::string::npos) end = m.source.size();
    if (!lowers.empty()) lowers += ':';
    lowers += layer_link(m.source.substr(start, end - start), out);
    start = end + 1;
  }
  std::string upper = m.upper.empty() ? "/upper" : layer_link(m.upper, out);
  std::string work = m.work.empty() ? "/work" : layer_link(m.work, out);
  // userxattr: inside a user namespace overlayfs may not use trusted.* xattrs
  // for whiteouts and opaque directories; user.* ones work on tmpfs and ext4.
  return fmt::format("lowerdir={},upperdir={},workdir={},userxattr", lowers, upper, work);
}

// As host root the sandbox's ids are unprivileged on the host, so the child
// could not even reach a bind source under a 0700 directory (/root). The helper
// therefore copies each bind source itself, as a detached mount tree the child
// only attaches. An unprivileged helper cannot (EPERM) and need not: the
// child has the user's own id and permissions.
int open_bind_tree(const std::string& host_source, const PreparedMount& m) {
  int tree = static_cast<int>(::open_tree(AT_FDCWD, host_source.c_str(),
                                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
  if (tree < 0) {
    if (errno == EPERM) return -1;
    throw_errno(fmt::format("bind source '{}'", host_source), errno, ErrorKind::Input);
  }
  UniqueFd owned(tree);
  struct mount_attr attr = bind_attributes(m);
  if (::mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
    throw_errno(fmt::format("set flags of the bind of '{}'", host_source), errno, ErrorKind::Environment);
  return owned.release();
}

bool owner_mapped(uid_t owner, const std::vector<IdMapLine>& map) {
  for (const auto& line : map)
    if (owner >= line.outside && std::uint64_t{owner} < std::uint64_t{line.outside} + line.count) return true;
  return false;
}

// Checked here too, whatever the caller decided: nothing in a sandbox is
// ever host root. In a user's subordinate namespace (base/user_namespace.h)
// id 0 is the user, which the sandbox's root may be.
void check_id_maps(const Spec& spec) {
  for (const auto& [map, file] : {std::pair{&spec.uid_map, "/proc/self/uid_map"},
                                  std::pair{&spec.gid_map, "/proc/self/gid_map"}}) {
    if (map->empty()) throw_input("sandbox spec: empty id map");
    bool zero_is_root = zero_is_host_root(file);
    for (const auto& line : *map)
      if ((line.outside == 0 && zero_is_root) || line.count == 0)
        throw_input("sandbox spec: an id map line maps onto host id 0 or is empty");
  }
}

// Takes `out` so that a bind's tree fd is owned by out.trees at once, and
// closed even when a later mount throws.
PreparedMount prepare_mount(const Spec& spec, const MountEntry& m, Prepared& out) {
  PreparedMount p{};
  p.tree_fd = -1;
  p.kind = m.kind;
  p.target = out.keep(m.target.substr(1));
  p.read_only = m.read_only;
  p.no_exec = m.no_exec;
  switch (m.kind) {
    case MountKind::Overlay:
      if (&m != &spec.mounts[0]) throw_input("sandbox spec: only one overlay root");
      p.data = out.keep(overlay_options(m, out));
      out.tmpfs_upper = m.upper.empty();
      break;
    case MountKind::Bind: {
      struct stat st;
      if (::stat(m.source.c_str(), &st) != 0) throw_errno(fmt::format("bind source '{}'", m.source));
      p.source_is_dir = S_ISDIR(st.st_mode);
      p.source = out.keep(host_path(m.source));
      // Device nodes under /dev, and /dev/null masking a /proc file, must open.
      p.no_dev = m.target.rfind("/dev/", 0) != 0 && m.source != "/dev/null";
      // A tree whose owner the map already covers (a build directory chowned
      // to the store's range) is right as it is; one owned by someone else
      // (host root's, a user's) is id-mapped so that its owner is the
      // sandbox's root, and what that root writes there is the owner's.
      p.idmap = p.no_dev && !owner_mapped(st.st_uid, spec.uid_map);
      p.owner_uid = st.st_uid;
      p.owner_gid = st.st_gid;
      if (!m.owner.empty()) {
        // --bind-owner: that user, not the source's owner, stands for the
        // sandbox's root here; files of other owners read as nobody's.
        unsigned uid = 0, gid = 0;
        if (std::sscanf(m.owner.c_str(), "%u:%u", &uid, &gid) != 2)
          throw_input(fmt::format("sandbox spec: bind owner '{}' is not UID:GID", m.owner));
        p.idmap = p.no_dev;
        p.owner_uid = uid;
        p.owner_gid = gid;
      }
      p.tree_fd = open_bind_tree(m.source, p);
      if (p.tree_fd >= 0) out.trees.emplace_back(p.tree_fd);
      break;
    }
    case MountKind::Symlink: p.source = out.keep(m.source); break;
    case MountKind::Scratch:
      // Made in the staging tmpfs, which is "/" while the plan is applied.
      p.source = out.keep(fmt::format("/scratch-{}", out.mounts.size()));
      p.source_is_dir = true;
      p.no_dev = true;
      p.scratch_mode = static_cast<mode_t>(std::stoul(m.data.empty() ? "755" : m.data, nullptr, 8)) & 07777;
      break;
    default: p.data = m.data.empty() ? nullptr : out.keep(m.data); break;
  }
  return p;
}

void prepare_command(const Spec& spec, Prepared& out) {
  out.hostname = out.keep(spec.hostname);
  if (!spec.domainname.empty()) out.domainname = out.keep(spec.domainname);
  out.workdir = out.keep(spec.workdir);
  for (const auto& a : spec.argv) out.argv.push_back(const_cast<char*>(out.keep(a)));
  out.argv.push_back(nullptr);
  out.path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (const auto& e : spec.env) {
    const char* s = out.keep(e);
    out.envp.push_back(const_cast<char*>(s));
    if (e.rfind("PATH=", 0) == 0) out.path = s + 5;
  }
  out.envp.push_back(nullptr);
}

PreparedRlimit prepare_rlimit(const Rlimit& r) {
  PreparedRlimit p{};
  p.resource = rlimit_resource(r.name);
  struct rlimit current;
  if (::getrlimit(p.resource, &current) != 0) throw_errno("getrlimit " + r.name);
  auto clamp = [](std::uint64_t v) { return v == kRlimitInfinity ? RLIM_INFINITY : static_cast<rlim_t>(v); };
  p.limit.rlim_max = clamp(r.hard);
  p.limit.rlim_cur = clamp(r.soft);
  // Only a privileged process may raise a hard limit; stay within the host's.
  if (current.rlim_max != RLIM_INFINITY &&
      (p.limit.rlim_max == RLIM_INFINITY || p.limit.rlim_max > current.rlim_max))
    p.limit.rlim_max = current.rlim_max;
  if (p.limit.rlim_max != RLIM_INFINITY &&
      (p.limit.rlim_cur == RLIM_INFINITY || p.limit.rlim_cur > p.limit.rlim_max))
    p.limit.rlim_cur = p.limit.rlim_max;
  return p;
}

void prepare_seccomp(const Spec& spec, Prepared& out) {
  if (spec.seccomp_bpf.empty() || spec.seccomp_bpf.size() % sizeof(sock_filter) != 0)
    throw_input("sandbox spec: missing or malformed seccomp program");
  out.filter.resize(spec.seccomp_bpf.size() / sizeof(sock_filter));
  std::memcpy(out.filter.data(), spec.seccomp_bpf.data(), spec.seccomp_bpf.size());
  out.program.len = static_cast<unsigned short>(out.filter.size());
  out.program.filter = out.filter.data();
}

}  // namespace

void prepare(const Spec& spec, Prepared& out) {
  check_id_maps(spec);
  if (spec.mounts.empty() || spec.mounts[0].kind != MountKind::Overlay || spec.mounts[0].target != "/")
    throw_input("sandbox spec: the first mount must be the overlay root");
  for (const auto& m : spec.mounts) out.mounts.push_back(prepare_mount(spec, m, out));
  prepare_command(spec, out);
  for (const auto& r : spec.rlimits) out.rlimits.push_back(prepare_rlimit(r));
  out.network = spec.network;
  if (spec.disk_limit_bytes)
    out.staging_options = out.keep(fmt::format("mode=0755,size={}", spec.disk_limit_bytes));
  out.interactive = spec.interactive;
  out.linux32 = spec.linux32;
  out.id_map_method = spec.id_map_method;
  for (int c : spec.keep_caps) out.keep_caps |= std::uint64_t{1} << c;
  out.last_cap = read_last_cap();
  prepare_seccomp(spec, out);
}

}  // namespace cleanroom::sandbox::helper
