// Memory and process-count limits for one sandbox, through a cgroup made for
// it. rlimits cannot hold these: nproc counts per uid, and a sandbox's root can
// switch among every uid of its map; there is no rlimit for a process tree's
// memory. Where the host gives cleanroom no cgroup to manage (cgroup v1 as a
// normal user, v2 without delegation) the sandbox runs without them and
// `doctor` says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/base/unique_fd.h"

namespace cleanroom::sandbox {

struct CgroupLimits {
  std::uint64_t memory_bytes = 0;  // 0: none
  std::uint64_t pids = 0;          // 0: none
  bool any() const { return memory_bytes != 0 || pids != 0; }
};

// How this host lets cleanroom limit a sandbox, found by trying.
struct CgroupSupport {
  bool available = false;
  std::string how;  // "cgroup v2 (delegated)", "cgroup v1 (root)", or why not
};

CgroupSupport probe_cgroup_support();

// A cgroup per controller (one on v2), made under the caller's own cgroup and
// removed when this goes out of scope, after the last process in it exits.
class SandboxCgroup {
 public:
  // nullopt when the host gives no cgroup to manage; throws Error(Environment)
  // when one was made but a limit could not be written.
  static std::optional<SandboxCgroup> create(const CgroupLimits& limits);
  SandboxCgroup(SandboxCgroup&& other) noexcept;
  SandboxCgroup& operator=(SandboxCgroup&& other) noexcept;
  ~SandboxCgroup();

  // Where the sandbox's processes go: on v1 each cgroup's `tasks`, which the
  // helper joins itself ("0") before it starts pid 1; on v2 cgroup.procs,
  // which it writes pid 1's pid into.
  std::vector<int> procs_fds() const;
  // v1: the helper joins before pid 1 starts. Moving the current thread alone
  // skips the kernel's cgroup-threadgroup lock, whose RCU grace period made a
  // move of a whole process cost 5 to 18 ms of every start-up.
  bool helper_joins() const { return helper_joins_; }

 private:
  SandboxCgroup() = default;
  std::vector<std::string> dirs_;
  std::vector<UniqueFd> procs_;
  bool helper_joins_ = false;
};

}  // namespace cleanroom::sandbox
