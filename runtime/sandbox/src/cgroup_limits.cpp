// One cgroup per sandbox, made under cleanroom's own so that a delegated
// subtree (v2) or root's hierarchy (v1) is all it touches. The helper joins it
// before exec, so every process of the sandbox is counted from the start.
#include "cleanroom/sandbox/cgroup_limits.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fmt/format.h>
#include <sstream>
#include <string_view>
#include <thread>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"

namespace cleanroom::sandbox {

namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";

bool unified_hierarchy() {
  struct statfs st;
  return ::statfs(kCgroupRoot, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// The path of our cgroup in the hierarchy holding `controller` ("" : the v2 one).
std::optional<std::string> own_cgroup(const std::string& controller) {
  std::istringstream lines(read_file("/proc/self/cgroup"));
  std::string line;
  while (std::getline(lines, line)) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string names = "," + line.substr(first + 1, second - first - 1) + ",";
    bool match = controller.empty() ? names == ",," : names.find("," + controller + ",") != std::string::npos;
    if (match) return line.substr(second + 1);
  }
  return std::nullopt;
}

bool write_value(const std::string& file, const std::string& value) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  ::close(fd);
  return ok;
}

std::string unique_name() {
  static std::atomic<unsigned> counter{0};
  return fmt::format("cleanroom-{}-{}", ::getpid(), counter++);
}

struct Controller {
  std::string dir;        // the hierarchy's mount point
  std::string own_path;   // our cgroup within it
  std::vector<std::pair<std::string, std::uint64_t>> limits;  // file, value (0: leave)
};

std::vector<Controller> controllers_for(const CgroupLimits& limits) {
  if (unified_hierarchy()) {
    auto own = own_cgroup("");
    if (!own) return {};
    return {{kCgroupRoot, *own, {{"memory.max", limits.memory_bytes}, {"pids.max", limits.pids}}}};
  }
  std::vector<Controller> out;
  for (auto [name, file, value] : {std::tuple{"memory", "memory.limit_in_bytes", limits.memory_bytes},
                                   std::tuple{"pids", "pids.max", limits.pids}}) {
    auto own = own_cgroup(name);
    if (!own) return {};
    out.push_back({fmt::format("{}/{}", kCgroupRoot, name), *own, {{file, value}}});
  }
  return out;
}

void remove_cgroup(const std::string& dir) {
  // The sandbox's pid 1 may still be finishing its exit (its mounts and
  // namespaces go in the background) when the helper returns: a short first
  // wait, doubling, for about 4 s at most.
  auto wait = std::chrono::microseconds(100);
  for (auto waited = std::chrono::microseconds(0); waited < std::chrono::seconds(4); waited += wait) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    if (errno != EBUSY) return;
    std::this_thread::sleep_for(wait);
    wait = std::min<std::chrono::microseconds>(wait * 2, std::chrono::milliseconds(20));
  }
}

// A cleanroom killed with SIGKILL leaves its empty cgroup behind (no
// destructor ran): each new one removes those of processes that are gone.
// rmdir only removes an empty cgroup, so a live sandbox's is never touched.
void remove_stale_siblings(const std::string& parent) {
  DIR* dir = ::opendir(parent.c_str());
  if (!dir) return;
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (!name.starts_with("cleanroom-")) continue;
    int pid = std::atoi(std::string(name.substr(10)).c_str());
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
      ::rmdir((parent + "/" + std::string(name)).c_str());
  }
  ::closedir(dir);
}

}  // namespace

std::optional<SandboxCgroup> SandboxCgroup::create(const CgroupLimits& limits) {
  auto controllers = controllers_for(limits);
  if (controllers.empty()) return std::nullopt;
  SandboxCgroup cgroup;
  cgroup.helper_joins_ = !unified_hierarchy();
  std::string name = unique_name();
  for (const auto& c : controllers) {
    std::string parent = c.dir + (c.own_path == "/" ? "" : c.own_path);
    // v2: a child only gets the controllers its parent hands down; this fails
    // (EBUSY) where our own cgroup holds processes, i.e. nothing is delegated.
    if (c.dir == kCgroupRoot && unified_hierarchy() &&
        !write_value(parent + "/cgroup.subtree_control", "+memory +pids"))
      return std::nullopt;
    remove_stale_siblings(parent);
    std::string dir = parent + "/" + name;
    if (::mkdir(dir.c_str(), 0755) != 0) return std::nullopt;
    cgroup.dirs_.push_back(dir);
    for (auto [file, value] : c.limits) {
      if (value == 0) continue;
      // The helper that joins is one more process of the sandbox's.
      if (cgroup.helper_joins_ && file == "pids.max") ++value;
      if (!write_value(dir + "/" + file, std::to_string(value)))
        throw_errno(fmt::format("set the sandbox's limit '{}/{}'", dir, file), errno, ErrorKind::Environment);
    }
    std::string procs = dir + (cgroup.helper_joins_ ? "/tasks" : "/cgroup.procs");
    int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw_errno(fmt::format("open '{}'", procs), errno, ErrorKind::Environment);
    cgroup.procs_.emplace_back(fd);
  }
  return cgroup;
}

SandboxCgroup::SandboxCgroup(SandboxCgroup&& other) noexcept
    : dirs_(std::exchange(other.dirs_, {})),
      procs_(std::exchange(other.procs_, {})),
      helper_joins_(other.helper_joins_) {}

SandboxCgroup& SandboxCgroup::operator=(SandboxCgroup&& other) noexcept {
  if (this != &other) {
    for (const auto& dir : dirs_) remove_cgroup(dir);
    dirs_ = std::exchange(other.dirs_, {});
    procs_ = std::exchange(other.procs_, {});
    helper_joins_ = other.helper_joins_;
  }
  return *this;
}

SandboxCgroup::~SandboxCgroup() {
  procs_.clear();
  for (const auto& dir : dirs_) remove_cgroup(dir);
}

std::vector<int> SandboxCgroup::procs_fds() const {
  std::vector<int> fds;
  for (const auto& fd : procs_) fds.push_back(fd.get());
  return fds;
}

CgroupSupport probe_cgroup_support() {
  bool v2 = unified_hierarchy();
  try {
    if (SandboxCgroup::create(CgroupLimits{})) return {true, v2 ? "cgroup v2 (delegated)" : "cgroup v1 (as root)"};
  } catch (const std::exception&) {
  }
  if (v2) return {false, "cgroup v2 without a delegated subtree for this user"};
  return {false, ::geteuid() == 0 ? "cgroup v1 without memory and pids controllers"
                                  : "cgroup v1, which only root can manage"};
}

}  // namespace cleanroom::sandbox
