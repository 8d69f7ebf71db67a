#include "id_maps.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/unique_fd.h"
#include "prepared.h"

namespace cleanroom::sandbox::helper {

namespace {

void write_proc(pid_t child, const char* file, const std::string& text) {
  std::string path = fmt::format("/proc/{}/{}", child, file);
  UniqueFd fd = open_fd(path, O_WRONLY);
  // The kernel takes a map in a single write(2) only.
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    throw_errno(fmt::format("write '{}' to '{}'", text.substr(0, text.find('\n')), path), errno,
                ErrorKind::Environment);
}

std::string map_text(const std::vector<IdMapLine>& lines) {
  std::string text;
  for (const auto& l : lines) text += fmt::format("{} {} {}\n", l.inside, l.outside, l.count);
  return text;
}

void run_map_helper(const char* program, pid_t child, const std::vector<IdMapLine>& lines) {
  std::string path = find_program(program);
  if (path.empty())
    throw_environment(fmt::format("{} not found: install the package uidmap", program));
  std::vector<std::string> argv{path, std::to_string(child)};
  for (const auto& l : lines) {
    argv.push_back(std::to_string(l.inside));
    argv.push_back(std::to_string(l.outside));
    argv.push_back(std::to_string(l.count));
  }
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = std::vector<std::string>{};
  int status = run_process(spec).status;
  if (status != 0)
    throw_environment(fmt::format("{} failed (status {}): check the ranges in /etc/subuid and /etc/subgid",
                                  program, status));
}

// A user namespace with one uid and one gid: the bind's owner inside stands
// for the sandbox root's host ids. Id-mapping a bind through it (instead of
// through the sandbox's own namespace) means the sandbox's root writes files
// as the owner, never as host root, and no other sandbox id can write there.
UniqueFd owner_user_namespace(uid_t owner, gid_t group, std::uint32_t root_uid,
                              std::uint32_t root_gid) {
  int hold[2];
  if (::pipe2(hold, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd hold_read(hold[0]), hold_write(hold[1]);
  // Plain clone without a new stack: the helper is single-threaded.
  long pid = ::syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid < 0) throw_errno("clone a user namespace for a bind", errno, ErrorKind::Environment);
  if (pid == 0) {
    hold_write.reset();
    char c;
    (void)!::read(hold_read.get(), &c, 1);  // EOF: the parent is done with us
    ::_exit(0);
  }
  hold_read.reset();
  auto reap = [&] {
    hold_write.reset();
    ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
  };
  try {
    pid_t child = static_cast<pid_t>(pid);
    write_proc(child, "uid_map", fmt::format("{} {} 1\n", owner, root_uid));
    write_proc(child, "gid_map", fmt::format("{} {} 1\n", group, root_gid));
    UniqueFd ns = open_fd(fmt::format("/proc/{}/ns/user", pid), O_RDONLY);
    reap();
    return ns;
  } catch (...) {
    reap();
    throw;
  }
}

std::uint32_t sandbox_root(const std::vector<IdMapLine>& map) {
  for (const auto& l : map)
    if (l.inside == 0) return l.outside;
  throw_input("sandbox spec: the id map has no root");
}

}  // namespace

void idmap_bind_trees(const Spec& spec, const Prepared& prep) {
  for (const auto& m : prep.mounts) {
    if (m.kind != MountKind::Bind || m.tree_fd < 0 || !m.idmap) continue;
    UniqueFd userns = owner_user_namespace(m.owner_uid, m.owner_gid, sandbox_root(spec.uid_map),
                                           sandbox_root(spec.gid_map));
    struct mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<std::uint64_t>(userns.get());
    if (::mount_setattr(m.tree_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
      // Not every filesystem can be id-mapped (ext4, xfs, btrfs and tmpfs can).
      // The bind still works; only the sandbox's root does not own its files.
      std::fprintf(stderr,
                   "cleanroom-sandbox: warning: cannot id-map the bind of '%s' (%s); the "
                   "sandbox's root will not own files there\n",
                   m.source + std::strlen(kOldRoot), errno_name(errno).c_str());
    }
  }
}

void write_id_maps(pid_t child, const Spec& spec) {
  switch (spec.id_map_method) {
    case IdMapMethod::Direct:
      write_proc(child, "uid_map", map_text(spec.uid_map));
      write_proc(child, "gid_map", map_text(spec.gid_map));
      break;
    case IdMapMethod::DenySetgroups:
      write_proc(child, "setgroups", "deny");
      write_proc(child, "uid_map", map_text(spec.uid_map));
      write_proc(child, "gid_map", map_text(spec.gid_map));
      break;
    case IdMapMethod::Helpers:
      run_map_helper("newuidmap", child, spec.uid_map);
      run_map_helper("newgidmap", child, spec.gid_map);
      break;
  }
}

}  // namespace cleanroom::sandbox::helper
