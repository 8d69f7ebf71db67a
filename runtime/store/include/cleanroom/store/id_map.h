// Choosing the host id range a store's files live under. Pure: the caller passes
// the identity and the /etc/subuid and /etc/subgid text, so tests use fakes.
//
// Why a range at all: a chroot holds files of several owners (root, _apt, man);
// the sandbox maps inside 0..count-1 onto host base..base+count-1, so the store
// must own its trees with exactly those host ids. As root the range must never
// include host root (docs/security.md), and nothing may rely on /etc/subuid being set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/store/store.h"

namespace cleanroom::store {

// Used as root when /etc/subuid has no range of at least kIdMapCount for root:
// high enough that useradd never hands it out (its SUB_UID_MAX is 600100000).
inline constexpr std::uint32_t kDefaultIdBase = 1879048192;  // 0x70000000
inline constexpr std::uint32_t kIdMapCount = 65536;

struct SubIdRange {
  std::string owner;  // user name or numeric id, as written in the file
  std::uint32_t start = 0;
  std::uint32_t count = 0;
};

// Parses subuid(5) text. Blank lines and '#' comments are skipped; malformed
// lines throw Error(Input) naming file:line.
std::vector<SubIdRange> parse_subid(std::string_view text, const std::string& file_name);

struct HostIdentity {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string user_name;  // for matching subuid entries by name
  std::string subuid_text;
  std::string subgid_text;
  bool map_helpers = false;  // newuidmap and newgidmap are installed
};

// A normal user's subordinate map: inside 0 the user, 1..kIdMapCount-1 the
// start of the user's own range in both files; nullopt without one that big.
std::optional<IdMap> subordinate_id_map(const HostIdentity& host);

// As a normal user: subordinate_id_map when the helpers are installed, else
// {uid, gid, 1}. As root: root's own subuid/subgid range when
// it has at least kIdMapCount ids, else kDefaultIdBase, refused (Environment)
// when any subuid/subgid entry overlaps it.
IdMap select_id_map(const HostIdentity& host);

// Throws Error(Environment) naming the usermod fix when /etc/subuid or
// /etc/subgid no longer give the user the subordinate ids a store was made with.
void check_subordinate_range_still_given(const IdMap& recorded, const HostIdentity& host,
                                         const std::string& store);

// The identity of this process (the host user, also inside the namespace), reading /etc/subuid and /etc/subgid (missing
// files count as empty).
HostIdentity current_host_identity();

}  // namespace cleanroom::store
