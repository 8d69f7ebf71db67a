// Debian package versions ([epoch:]upstream[-revision]) with dpkg's exact parsing
// rules and ordering (deb-version(7), lib/dpkg/version.c): "~" sorts before
// everything, even the end of the string; letters sort before other characters;
// digit runs compare numerically.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace cleanroom::formats {

struct Version {
  std::uint32_t epoch = 0;
  std::string upstream;
  std::string revision;  // empty for native packages

  // "epoch:upstream-revision", the epoch only when non-zero (as dpkg prints it)
  // or when the upstream part holds a ':' that would otherwise read as one.
  std::string to_string() const;
  // Without the epoch, as in file names: hello_1.0-1_amd64.deb.
  std::string without_epoch() const;
};

// Parses and validates like dpkg's parseversion(), including its messages
// ("version number does not start with digit"). Leading and trailing blanks
// are ignored. Throws Error (Input) "version 'x' has bad syntax: ...".
Version parse_version(std::string_view text);

// <0, 0, >0 like dpkg_version_compare().
int compare_versions(const Version& a, const Version& b);
inline std::strong_ordering operator<=>(const Version& a, const Version& b) {
  return compare_versions(a, b) <=> 0;
}
inline bool operator==(const Version& a, const Version& b) { return compare_versions(a, b) == 0; }

// The relations of Depends fields and of dpkg --compare-versions.
enum class VersionRelation { Earlier, EarlierEqual, Equal, LaterEqual, Later };
bool version_satisfies(const Version& candidate, VersionRelation relation, const Version& bound);
// "<<", "<=", "=", ">=", ">>".
std::string_view relation_symbol(VersionRelation relation);

}  // namespace cleanroom::formats
