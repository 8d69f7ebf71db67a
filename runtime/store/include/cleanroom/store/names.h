// Snapshot names and ids: what a valid alias looks like, and how a name, full
// id or id prefix picks one snapshot. Pure; Store supplies the on-disk lists.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace cleanroom::store {

// Shortest id prefix accepted by resolve: 8 hex digits make accidental
// collisions among a store's few dozen snapshots vanishingly rare.
inline constexpr std::size_t kMinIdPrefix = 8;

// A 64-digit lowercase hex SHA-256.
bool is_snapshot_id(const std::string& s);
// Letters, digits and ._+- ; starts with a letter or digit; at most 128 chars.
// Throws Error(Input) saying what is wrong.
void validate_name(const std::string& name);

// A Debian suite or codename as apt and the archive spell it ("bookworm",
// "bookworm-backports"): lowercase letters, digits and '-', starting with a
// letter, at most 64 characters. It ends up in sources.list lines and file
// names, so nothing else passes. Throws Error(Input) naming source (where the
// name came from) and the fix.
void validate_suite_name(const std::string& suite, const std::string& source);

// The id for name_or_id given the aliases (name -> id) and the ids present:
// alias first, then full id, then a unique prefix of at least kMinIdPrefix.
// Returns "" when nothing matches; throws Error(Input) when a prefix is ambiguous.
std::string match_snapshot(const std::string& name_or_id,
                           const std::map<std::string, std::string>& aliases,
                           const std::vector<std::string>& ids);

}  // namespace cleanroom::store
