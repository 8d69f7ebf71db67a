#include "cleanroom/store/id_map.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/user_namespace.h"

namespace cleanroom::store {

namespace {

bool parse_u32(std::string_view s, std::uint32_t& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// A range is the user's by name or by number.
bool owned_by(const SubIdRange& r, const HostIdentity& host) {
  return r.owner == std::to_string(host.uid) || (!host.user_name.empty() && r.owner == host.user_name);
}

// The largest range owned by the user.
const SubIdRange* own_range(const std::vector<SubIdRange>& ranges, const HostIdentity& host) {
  const SubIdRange* best = nullptr;
  for (const auto& r : ranges)
    if (owned_by(r, host) && (!best || r.count > best->count)) best = &r;
  return best;
}

// Whether a range of the user's holds start..start+count-1.
bool range_contains(const std::vector<SubIdRange>& ranges, const HostIdentity& host,
                    std::uint32_t start, std::uint32_t count) {
  for (const auto& r : ranges)
    if (owned_by(r, host) && r.start <= start &&
        std::uint64_t{start} + count <= std::uint64_t{r.start} + r.count)
      return true;
  return false;
}

void check_default_range_free(const std::vector<SubIdRange>& ranges, const char* file) {
  std::uint64_t lo = kDefaultIdBase, hi = lo + kIdMapCount;
  for (const auto& r : ranges) {
    std::uint64_t r_lo = r.start, r_hi = r_lo + r.count;
    if (r_lo < hi && lo < r_hi)
      throw_environment(fmt::format(
          "the default id range {}-{} for root's store overlaps {}'s range {}:{}:{} in {}; "
          "give root its own range: usermod --add-subuids 100000-165535 "
          "--add-subgids 100000-165535 root",
          lo, hi - 1, r.owner, r.owner, r.start, r.count, file));
  }
}

}  // namespace

std::vector<SubIdRange> parse_subid(std::string_view text, const std::string& file_name) {
  std::vector<SubIdRange> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    auto c1 = line.find(':');
    auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    SubIdRange r;
    if (c2 == std::string_view::npos || line.find(':', c2 + 1) != std::string_view::npos ||
        c1 == 0 || !parse_u32(line.substr(c1 + 1, c2 - c1 - 1), r.start) ||
        !parse_u32(line.substr(c2 + 1), r.count))
      throw_input(fmt::format("{}:{}: expected 'owner:start:count', got '{}'", file_name,
                              line_no, line));
    r.owner = std::string(line.substr(0, c1));
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<IdMap> subordinate_id_map(const HostIdentity& host) {
  auto uids = parse_subid(host.subuid_text, "/etc/subuid");
  auto gids = parse_subid(host.subgid_text, "/etc/subgid");
  const SubIdRange* u = own_range(uids, host);
  const SubIdRange* g = own_range(gids, host);
  // Inside 0 is the user itself; the range gives 1..kIdMapCount-1.
  if (!u || !g || u->count < kIdMapCount - 1 || g->count < kIdMapCount - 1 || u->start == 0 ||
      g->start == 0)
    return std::nullopt;
  IdMap map{host.uid, host.gid, kIdMapCount};
  map.sub_uid_base = u->start;
  map.sub_gid_base = g->start;
  return map;
}

IdMap select_id_map(const HostIdentity& host) {
  if (host.uid != 0) {
    if (host.map_helpers)
      if (auto sub = subordinate_id_map(host)) return *sub;
    return IdMap{host.uid, host.gid, 1};
  }
  auto uids = parse_subid(host.subuid_text, "/etc/subuid");
  auto gids = parse_subid(host.subgid_text, "/etc/subgid");
  const SubIdRange* u = own_range(uids, host);
  const SubIdRange* g = own_range(gids, host);
  // Root's own range is only usable when both files give one big enough and it
  // leaves host root (id 0) out.
  if (u && g && u->count >= kIdMapCount && g->count >= kIdMapCount && u->start > 0 &&
      g->start > 0)
    return IdMap{u->start, g->start, kIdMapCount};
  check_default_range_free(uids, "/etc/subuid");
  check_default_range_free(gids, "/etc/subgid");
  return IdMap{kDefaultIdBase, kDefaultIdBase, kIdMapCount};
}

HostIdentity current_host_identity() {
  HostIdentity host;
  HostUser me = host_user();
  host.uid = me.uid;
  host.gid = me.gid;
  host.map_helpers = !find_program("newuidmap").empty() && !find_program("newgidmap").empty();
  if (const passwd* pw = ::getpwuid(host.uid)) host.user_name = pw->pw_name;
  auto read_optional = [](const char* path) -> std::string {
    try {
      return read_file(path);
    } catch (const Error& e) {
      if (e.error_number() == ENOENT) return "";
      throw;
    }
  };
  host.subuid_text = read_optional("/etc/subuid");
  host.subgid_text = read_optional("/etc/subgid");
  return host;
}

void check_subordinate_range_still_given(const IdMap& recorded, const HostIdentity& host,
                                         const std::string& store) {
  std::uint32_t subs = recorded.count - 1;
  bool uids = range_contains(parse_subid(host.subuid_text, "/etc/subuid"), host,
                             recorded.sub_uid_base, subs);
  bool gids = range_contains(parse_subid(host.subgid_text, "/etc/subgid"), host,
                             recorded.sub_gid_base, subs);
  if (uids && gids) return;
  std::string user = host.user_name.empty() ? std::to_string(host.uid) : host.user_name;
  auto range = [&](std::uint32_t start) {
    return fmt::format("{}-{}", start, std::uint64_t{start} + subs - 1);
  };
  std::string u = range(recorded.sub_uid_base), g = range(recorded.sub_gid_base);
  throw_environment(fmt::format(
      "store '{}' keeps its files under subordinate ids {} (uids) and {} (gids), which "
      "/etc/subuid and /etc/subgid no longer give {}; give them back (as root: usermod "
      "--add-subuids {} --add-subgids {} {}) or use a new store (--store DIR)",
      store, u, g, user, u, g, user));
}

}  // namespace cleanroom::store
