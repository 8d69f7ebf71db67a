// Which host ids the sandbox's ids stand for. The sandbox's uid 0 is never host
// root: as root it maps to an unprivileged range (the store's); as a normal user
// to the user itself, alone or (inside the subordinate namespace the store
// entered) with the user's range as 1..count-1.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox {

// Host ids the lower dirs' files belong to: inside 0..count-1 -> base..base+count-1.
struct HostIdRange {
  std::uint32_t uid_base = 0;
  std::uint32_t gid_base = 0;
  std::uint32_t count = 1;
};

struct IdMapPlan {
  std::vector<IdMapLine> uid_map;
  std::vector<IdMapLine> gid_map;
  IdMapMethod method = IdMapMethod::Direct;
};

// Throws Error(Input) when the range would map anything onto host root, or when
// an unprivileged caller asks for ids that are not its own with count 1.
// host_root is false for uid 0 of a user's subordinate namespace
// (base/user_namespace.h), whose 0 is the user.
IdMapPlan plan_id_maps(const HostIdRange& range, uid_t euid, gid_t egid, bool host_root);

}  // namespace cleanroom::sandbox
