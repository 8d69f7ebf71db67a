// The sandbox spec: everything the `cleanroom-sandbox` helper needs to set up one
// sandbox, decided in advance by the `cleanroom` process. It travels to the helper
// as plain, versioned text (first line "cleanroom-sandbox-spec 1", then one
// "key field field..." line per item, fields escaped) so it can be printed, diffed
// and tested without privileges, and so the helper never makes a policy decision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::sandbox {

inline constexpr int kSpecVersion = 1;

// One line of /proc/PID/uid_map or gid_map.
struct IdMapLine {
  std::uint32_t inside = 0;
  std::uint32_t outside = 0;
  std::uint32_t count = 1;
  bool operator==(const IdMapLine&) const = default;
};

enum class IdMapMethod {
  Direct,         // the helper writes the maps itself (root, or one line for itself)
  DenySetgroups,  // an unprivileged user mapping only itself: setgroups must be denied first
  Helpers,        // newuidmap/newgidmap (setuid helpers reading /etc/subuid, /etc/subgid)
};

enum class MountKind {
  Overlay,  // the root: lowers below, an upper (tmpfs unless upper/work are given)
  Proc,     // a proc for the sandbox's pid namespace
  Tmpfs,    // options in `data` (e.g. "mode=1777")
  // A directory of the scratch tmpfs that holds the throw-away upper, so /tmp
  // and /dev/shm share its one size budget; `data` is the octal mode.
  Scratch,
  Devpts,   // a new devpts instance
  Bind,     // host `source` on `target`; read-only if `read_only`
  Symlink,  // `target` becomes a symlink to `source`
  Dir,      // `target` is created as a directory if missing
};

struct MountEntry {
  MountKind kind = MountKind::Dir;
  std::string source;  // host path (Bind), link text (Symlink), lowers joined by ':' (Overlay)
  std::string target;  // absolute path inside the sandbox
  std::string data;    // fs options (Tmpfs, Devpts)
  bool read_only = false;
  bool no_exec = false;
  // Overlay only: host directories for an upper that outlives the sandbox.
  std::string upper;
  std::string work;
  // Bind only: "UID:GID" the sandbox's root writes as through it (an id-mapped
  // bind); "" the source's owner.
  std::string owner;
  bool operator==(const MountEntry&) const = default;
};

struct Rlimit {
  std::string name;  // "nofile", "nproc", "fsize", "core", "as", "cpu"
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
  bool operator==(const Rlimit&) const = default;
};

inline constexpr std::uint64_t kRlimitInfinity = ~std::uint64_t{0};

struct Spec {
  std::vector<IdMapLine> uid_map;
  std::vector<IdMapLine> gid_map;
  IdMapMethod id_map_method = IdMapMethod::Direct;
  std::vector<MountEntry> mounts;  // applied in order by one loop
  std::string hostname = "cleanroom";
  std::string domainname;  // NIS domain name; "" leaves the kernel's "(none)"
  std::string workdir = "/";
  std::vector<std::string> env;   // "K=V", exactly the command's environment
  std::vector<std::string> argv;  // argv[0] is searched in the env's PATH
  std::vector<Rlimit> rlimits;
  std::uint64_t timeout_seconds = 0;  // 0: none
  // One budget for everything the sandbox writes to memory-backed storage:
  // the overlay's throw-away upper, /tmp and /dev/shm share one tmpfs. 0: none.
  std::uint64_t disk_limit_bytes = 0;
  // Applied through a cgroup by the caller of the helper, where the host lets
  // it (see cgroup_limits.h). 0: none.
  std::uint64_t memory_limit_bytes = 0;
  std::uint64_t pids_limit = 0;
  bool network = false;  // true: share the host's network namespace
  bool interactive = false;  // true: the command stays on the caller's terminal
  std::vector<int> keep_caps;  // capability numbers the command keeps; empty: none
  bool linux32 = false;  // the command runs with the PER_LINUX32 personality
  std::string seccomp_bpf;  // struct sock_filter array, raw bytes
  bool operator==(const Spec&) const = default;
};

std::string encode_spec(const Spec& spec);
// Throws Error(Input) naming the line for anything malformed or a newer version.
Spec decode_spec(std::string_view text);

// Field escaping used by the encoding (exposed for tests).
std::string escape_field(std::string_view field);
std::string unescape_field(std::string_view field);

int rlimit_resource(const std::string& name);  // RLIMIT_*; -1 when unknown

}  // namespace cleanroom::sandbox
