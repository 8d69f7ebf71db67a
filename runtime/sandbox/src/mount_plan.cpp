// Builds the sandbox's filesystem view. The order matters: the overlay root
// first, then the kernel filesystems, then /dev's pieces (tmpfs, host device
// nodes bound onto empty files, a private devpts), then the caller's binds last
// so that they can shadow anything the plan put there.
#include "cleanroom/sandbox/mount_plan.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <fmt/format.h>

#include "cleanroom/base/error.h"

namespace cleanroom::sandbox {

namespace {

// Read as empty inside: see plan_mounts.
constexpr const char* kMaskedProcFiles[] = {
    "/proc/cmdline",   "/proc/config.gz", "/proc/partitions", "/proc/diskstats",
    "/proc/kcore",     "/proc/keys",      "/proc/timer_list", "/proc/sys/kernel/random/boot_id",
};

void check_sandbox_path(const std::string& path, const std::string& what) {
  if (path.empty() || path[0] != '/') throw_input(fmt::format("{} '{}' is not an absolute path", what, path));
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0)
      throw_input(fmt::format("{} '{}' contains '..'", what, path));
    start = end + 1;
  }
}

// Host paths end up in overlayfs' comma- and colon-separated option string,
// where a ',' would let a path smuggle in another option.
std::string host_dir(const std::string& path, const std::string& what) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) throw_errno(fmt::format("{} '{}'", what, path), errno, ErrorKind::Input);
  struct stat st;
  if (::stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode))
    throw_input(fmt::format("{} '{}' is not a directory", what, path));
  std::string out = resolved;
  if (out.find_first_of(",:\\") != std::string::npos)
    throw_input(fmt::format("{} '{}' contains ',', ':' or '\\', which overlayfs cannot take", what, path));
  return out;
}

MountEntry entry(MountKind kind, std::string target, std::string source = "", std::string data = "") {
  MountEntry e;
  e.kind = kind;
  e.target = std::move(target);
  e.source = std::move(source);
  e.data = std::move(data);
  return e;
}

}  // namespace

BindRequest parse_bind(const std::string& text) {
  BindRequest bind;
  bind.callers_files = true;
  std::string rest = text;
  auto last = rest.rfind(':');
  if (last != std::string::npos && (rest.substr(last + 1) == "ro" || rest.substr(last + 1) == "rw")) {
    bind.read_only = rest.substr(last + 1) == "ro";
    rest.resize(last);
  }
  auto colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
    throw_input(fmt::format("--bind '{}': expected SRC:DST[:ro]", text));
  bind.source = rest.substr(0, colon);
  bind.target = rest.substr(colon + 1);
  if (bind.target.find(':') != std::string::npos)
    throw_input(fmt::format("--bind '{}': expected SRC:DST[:ro]", text));
  return bind;
}

std::vector<MountEntry> plan_mounts(const MountRequest& request) {
  std::vector<MountEntry> plan;
  if (request.lower_dirs.empty()) throw_input("mount plan: no lower directory for the root");
  if (request.upper_dir.empty() != request.work_dir.empty())
    throw_input("mount plan: an upper directory needs a work directory and vice versa");

  MountEntry root = entry(MountKind::Overlay, "/");
  for (const auto& lower : request.lower_dirs) {
    if (!root.source.empty()) root.source += ':';
    root.source += host_dir(lower, "lower directory");
  }
  if (!request.upper_dir.empty()) {
    root.upper = host_dir(request.upper_dir, "upper directory");
    root.work = host_dir(request.work_dir, "work directory");
  }
  plan.push_back(root);

  plan.push_back(entry(MountKind::Proc, "/proc"));
  // What a build has no use for and would only tell about the host (its boot
  // options, kernel configuration, disks, boot id) reads as empty, as in bwrap
  // and container runtimes: /dev/null bound over it.
  for (const char* hidden : kMaskedProcFiles) {
    struct stat st;
    if (::stat(hidden, &st) != 0) continue;  // this kernel has none
    auto mask = entry(MountKind::Bind, hidden, "/dev/null");
    mask.read_only = true;
    plan.push_back(mask);
  }
  auto dev = entry(MountKind::Tmpfs, "/dev", "", "mode=0755,size=1m");
  dev.no_exec = true;
  plan.push_back(dev);
  for (const char* node : {"null", "zero", "full", "random", "urandom", "tty"})
    plan.push_back(entry(MountKind::Bind, std::string("/dev/") + node, std::string("/dev/") + node));
  plan.push_back(entry(MountKind::Devpts, "/dev/pts", "", "newinstance,ptmxmode=0666,mode=0620"));
  plan.push_back(entry(MountKind::Symlink, "/dev/ptmx", "pts/ptmx"));
  auto shm = entry(MountKind::Scratch, "/dev/shm", "", "1777");
  shm.no_exec = true;
  plan.push_back(shm);
  plan.push_back(entry(MountKind::Symlink, "/dev/fd", "/proc/self/fd"));
  plan.push_back(entry(MountKind::Symlink, "/dev/stdin", "/proc/self/fd/0"));
  plan.push_back(entry(MountKind::Symlink, "/dev/stdout", "/proc/self/fd/1"));
  plan.push_back(entry(MountKind::Symlink, "/dev/stderr", "/proc/self/fd/2"));
  plan.push_back(entry(MountKind::Scratch, "/tmp", "", "1777"));

  if (request.network) {
    auto resolv = entry(MountKind::Bind, "/etc/resolv.conf", "/etc/resolv.conf");
    resolv.read_only = true;
    struct stat st;
    if (::stat("/etc/resolv.conf", &st) == 0) plan.push_back(resolv);
  }

  for (const auto& bind : request.binds) {
    check_sandbox_path(bind.target, "bind target");
    char resolved[PATH_MAX];
    if (!::realpath(bind.source.c_str(), resolved))
      throw_errno(fmt::format("bind source '{}'", bind.source), errno, ErrorKind::Input);
    auto b = entry(MountKind::Bind, bind.target, resolved);
    b.read_only = bind.read_only;
    if (bind.owner) b.owner = fmt::format("{}:{}", bind.owner->uid, bind.owner->gid);
    plan.push_back(b);
  }

  if (!request.workdir.empty() && request.workdir != "/") {
    check_sandbox_path(request.workdir, "working directory");
    plan.push_back(entry(MountKind::Dir, request.workdir));
  }
  return plan;
}

std::string describe_mounts(const std::vector<MountEntry>& mounts) {
  std::string out;
  for (const auto& m : mounts) {
    switch (m.kind) {
      case MountKind::Overlay:
        out += fmt::format("overlay {} lower={} upper={}", m.target, m.source,
                           m.upper.empty() ? "tmpfs" : m.upper);
        break;
      case MountKind::Proc: out += fmt::format("proc {}", m.target); break;
      case MountKind::Tmpfs: out += fmt::format("tmpfs {} {}", m.target, m.data); break;
      case MountKind::Scratch: out += fmt::format("scratch {} mode={}", m.target, m.data); break;
      case MountKind::Devpts: out += fmt::format("devpts {} {}", m.target, m.data); break;
      case MountKind::Bind:
        out += fmt::format("bind {} -> {}{}", m.source, m.target, m.read_only ? " (ro)" : "");
        break;
      case MountKind::Symlink: out += fmt::format("symlink {} -> {}", m.target, m.source); break;
      case MountKind::Dir: out += fmt::format("dir {}", m.target); break;
    }
    out += '\n';
  }
  return out;
}

}  // namespace cleanroom::sandbox
