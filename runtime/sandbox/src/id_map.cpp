#include "cleanroom/sandbox/id_map.h"

#include <fmt/format.h>

#include "cleanroom/base/error.h"

namespace cleanroom::sandbox {

IdMapPlan plan_id_maps(const HostIdRange& range, uid_t euid, gid_t egid, bool host_root) {
  if (range.count == 0) throw_input("id map: empty range");
  IdMapPlan plan;
  if (euid == 0) {
    // Host root could map anything; the contract is that nothing in a sandbox is
    // ever host uid 0 or gid 0, so a range starting at 0 is a configuration error.
    // In a user's subordinate namespace 0 is the user, and the map is the identity.
    if (host_root && (range.uid_base == 0 || range.gid_base == 0))
      throw_input(fmt::format(
          "id map: the sandbox's ids would map to host root (uid base {}, gid base {}); "
          "the store must use an unprivileged range", range.uid_base, range.gid_base));
    if (std::uint64_t{range.uid_base} + range.count > 0xffffffffu ||
        std::uint64_t{range.gid_base} + range.count > 0xffffffffu)
      throw_input("id map: range runs past the largest id");
    plan.method = IdMapMethod::Direct;
    if (!host_root && range.count > 1) {
      // The kernel takes a line only when it falls within one line of the
      // parent's map, and there the user (0) and its range (1..) are two.
      plan.uid_map = {{0, range.uid_base, 1}, {1, range.uid_base + 1, range.count - 1}};
      plan.gid_map = {{0, range.gid_base, 1}, {1, range.gid_base + 1, range.count - 1}};
      return plan;
    }
    plan.uid_map.push_back({0, range.uid_base, range.count});
    plan.gid_map.push_back({0, range.gid_base, range.count});
    return plan;
  }
  if (range.count == 1) {
    if (range.uid_base != euid || range.gid_base != egid)
      throw_input(fmt::format(
          "id map: the store's files belong to {}:{}, but this is user {}:{}; use your own store",
          range.uid_base, range.gid_base, euid, egid));
    plan.uid_map.push_back({0, static_cast<std::uint32_t>(euid), 1});
    plan.gid_map.push_back({0, static_cast<std::uint32_t>(egid), 1});
    // An unprivileged process may write a one-line map for itself only after
    // giving up setgroups(2) (user_namespaces(7)), so groups cannot be dropped.
    plan.method = IdMapMethod::DenySetgroups;
    return plan;
  }
  // Several ids as a normal user: only the setuid newuidmap/newgidmap may write
  // such maps, after checking /etc/subuid and /etc/subgid.
  plan.uid_map.push_back({0, range.uid_base, range.count});
  plan.gid_map.push_back({0, range.gid_base, range.count});
  plan.method = IdMapMethod::Helpers;
  return plan;
}

}  // namespace cleanroom::sandbox
