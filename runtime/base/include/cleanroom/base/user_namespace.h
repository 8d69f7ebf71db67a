// The user namespace a normal user's cleanroom process lives in when its store
// uses a subordinate id range: the user is 0 in it, the range is 1..count-1, the
// way `podman unshare` sets it up. Inside it the process may chown to those ids,
// remove trees they own and read their 0600 files, so every store and pipeline
// path runs as it does for root, and the sandbox nests its own namespace with
// the identity map of these ids. Only the setuid newuidmap/newgidmap (package
// uidmap) can write such a map; cleanroom never gains privilege itself.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom {

// Who runs cleanroom, as the host sees it: after enter_user_namespace the
// process is uid 0, but this stays the user (also in cleanroom processes the
// entered one starts, through CLEANROOM_HOST_IDS).
struct HostUser {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  bool root() const { return uid == 0; }
};
HostUser host_user();

// True once this process (or the cleanroom that started it) has entered the
// namespace below.
bool in_user_namespace();

struct SubordinateMap {
  std::uint32_t uid = 0;      // the user: 0 inside
  std::uint32_t gid = 0;
  std::uint32_t sub_uid = 0;  // first subordinate id: 1 inside
  std::uint32_t sub_gid = 0;
  std::uint32_t count = 0;    // ids inside: 0..count-1 (count-1 subordinate ones)
};

// Unshares a user namespace and has newuidmap/newgidmap map it. The process must
// be single-threaded (unshare(2) requires it). Throws Error(Environment) naming
// the fix when the helpers are missing or refuse the map.
void enter_user_namespace(const SubordinateMap& map);

// Whether id 0 of this process's namespace is the host's root (map_file:
// /proc/self/uid_map or gid_map): true in the initial namespace and in
// containers that map 0 to 0, false in the namespace above.
bool zero_is_host_root(const char* map_file);

// "0 uid 1 1 sub_uid count-1": the newuidmap arguments after the pid.
std::string subordinate_map_text(std::uint32_t own, std::uint32_t sub, std::uint32_t count);

}  // namespace cleanroom
