#include "cleanroom/base/user_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>

#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

namespace {

constexpr const char* kHostIdsVariable = "CLEANROOM_HOST_IDS";

bool g_entered = false;
HostUser g_host;

// What id 0 of this process's namespace stands for in the parent one, from
// /proc/self/uid_map or gid_map: {outside, count}, or nullopt when 0 is unmapped.
std::optional<std::pair<std::uint64_t, std::uint64_t>> zero_line(const char* map_file) {
  std::ifstream in(map_file);
  std::uint64_t inside = 0, outside = 0, count = 0;
  while (in >> inside >> outside >> count)
    if (inside == 0 && count > 0) return std::pair{outside, count};
  return std::nullopt;
}

// A cleanroom started by one that entered the namespace inherits it and the
// variable; the variable alone (a user setting it by hand) proves nothing, so
// the map must say 0 is that user, alone. Read once: neither can change.
std::optional<HostUser> inherited() {
  static const std::optional<HostUser> found = []() -> std::optional<HostUser> {
    const char* v = std::getenv(kHostIdsVariable);
    if (!v || ::getuid() != 0) return std::nullopt;
    std::istringstream in(v);
    char colon = 0;
    HostUser h;
    if (!(in >> h.uid >> colon >> h.gid) || colon != ':' || h.uid == 0) return std::nullopt;
    auto zero = zero_line("/proc/self/uid_map");
    if (!zero || zero->first != h.uid || zero->second != 1) return std::nullopt;
    return h;
  }();
  return found;
}

std::string helper_path(const char* name) {
  std::string path = find_program(name);
  if (path.empty())
    throw_environment(fmt::format("{} not found: a store with a subordinate id range needs it; "
                                  "install it: apt-get install uidmap",
                                  name));
  return path;
}

// Runs in the child forked before unshare: it stays in the host's namespace,
// where the setuid helpers may map the parent's new one. Both run at once:
// they write different maps, and each is a setuid program's start, the
// largest part of a normal user's `cleanroom run`.
[[noreturn]] void map_parent(int ready_fd, pid_t parent, const SubordinateMap& m,
                             const std::string& newuidmap, const std::string& newgidmap) {
  char c = 0;
  if (::read(ready_fd, &c, 1) != 1) ::_exit(1);  // the parent could not unshare
  auto start = [&](const std::string& helper, std::uint32_t own, std::uint32_t sub) {
    std::vector<std::string> argv{helper, std::to_string(parent)};
    std::istringstream args(subordinate_map_text(own, sub, m.count));
    for (std::string a; args >> a;) argv.push_back(a);
    ProcessSpec spec;
    spec.argv = argv;
    spec.env = std::vector<std::string>{};
    return Child(spec);
  };
  // An exception must not unwind into the parent's frames this fork copied.
  try {
    Child uids = start(newuidmap, m.uid, m.sub_uid);
    Child gids = start(newgidmap, m.gid, m.sub_gid);
    bool uids_mapped = uids.wait() == 0;
    bool gids_mapped = gids.wait() == 0;
    ::_exit(!uids_mapped ? 10 : !gids_mapped ? 11 : 0);
  } catch (...) {
    ::_exit(10);
  }
}

[[noreturn]] void throw_unshare(int err) {
  if (err == EINVAL)
    throw_failure("internal: the user namespace must be entered before cleanroom starts threads");
  throw_errno("unshare a user namespace (user namespaces may be turned off: sysctl "
              "user.max_user_namespaces, kernel.unprivileged_userns_clone)",
              err, ErrorKind::Environment);
}

}  // namespace

HostUser host_user() {
  if (g_entered) return g_host;
  if (auto h = inherited()) return *h;
  return {static_cast<std::uint32_t>(::getuid()), static_cast<std::uint32_t>(::getgid())};
}

bool in_user_namespace() { return g_entered || inherited().has_value(); }

bool zero_is_host_root(const char* map_file) {
  auto zero = zero_line(map_file);
  return zero && zero->first == 0;
}

std::string subordinate_map_text(std::uint32_t own, std::uint32_t sub, std::uint32_t count) {
  return fmt::format("0 {} 1 1 {} {}", own, sub, count - 1);
}

void enter_user_namespace(const SubordinateMap& m) {
  if (in_user_namespace()) return;
  if (m.count < 2) throw_failure("internal: a subordinate map needs at least two ids");
  std::string newuidmap = helper_path("newuidmap"), newgidmap = helper_path("newgidmap");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) {
    write_end.reset();
    map_parent(read_end.get(), parent, m, newuidmap, newgidmap);
  }
  read_end.reset();
  int unshare_errno = ::unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
  if (unshare_errno == 0 && ::write(write_end.get(), "x", 1) != 1) unshare_errno = errno;
  write_end.reset();
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (unshare_errno != 0) throw_unshare(unshare_errno);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    bool uid = WIFEXITED(status) && WEXITSTATUS(status) == 10;
    throw_environment(fmt::format(
        "{} refused to map ids {}-{} (from /etc/{}) for user {}: that range must be the "
        "user's; check /etc/subuid and /etc/subgid, or use a new store (--store DIR)",
        uid ? "newuidmap" : "newgidmap", uid ? m.sub_uid : m.sub_gid,
        std::uint64_t{uid ? m.sub_uid : m.sub_gid} + m.count - 2, uid ? "subuid" : "subgid",
        m.uid));
  }
  g_host = {m.uid, m.gid};
  g_entered = true;
  ::setenv(kHostIdsVariable, fmt::format("{}:{}", m.uid, m.gid).c_str(), 1);
}

}  // namespace cleanroom
