// Relationship fields (deb-control(5), deb-src-control(5)): Depends, Pre-Depends,
// Recommends, Build-Depends(-Arch/-Indep), Build-Conflicts... A field is an AND
// list of groups, each an OR list of alternatives:
//
//   foo:any (>= 1.2) [amd64 !i386] <!nocheck> <stage1 cross> | bar, ${misc:Depends}
//
// Substitution variables standing alone (${misc:Depends}) are kept as opaque
// entries, and a version may be a substvar ("(= ${binary:Version})").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/formats/version.h"

namespace cleanroom::formats {

struct ArchSpec {
  bool negated = false;  // "!i386"
  std::string name;      // an architecture or a wildcard (linux-any, any-arm64, any)
};

struct ProfileTerm {
  bool negated = false;  // "!nocheck"
  std::string name;
};
// One <...> group: every term must hold.
using ProfileFormula = std::vector<ProfileTerm>;

struct DependencyAlternative {
  std::string name;            // package name, or the whole "${...}" of a substvar entry
  bool substvar = false;       // an opaque ${...} entry: nothing else is set
  std::string arch_qualifier;  // after ':' ("any", "native", "amd64"); empty if none
  std::optional<VersionRelation> relation;
  std::string version;                   // as written, set when relation is
  std::vector<ArchSpec> architectures;   // [..]; all negated or none
  std::vector<ProfileFormula> profiles;  // <..> <..>: any formula may hold

  std::string to_string() const;  // canonical: "name:arch (op version) [archs] <terms>"
};

using DependencyGroup = std::vector<DependencyAlternative>;  // alternatives, "a | b"

struct Dependencies {
  std::vector<DependencyGroup> groups;  // all required, ", "-separated
  std::string to_string() const;        // canonical, one line
  bool empty() const { return groups.empty(); }
};

// Parses a field value (continuation lines allowed; empty entries from trailing
// commas skipped, as dpkg does). Errors are Input: "file:line: Build-Depends:
// ..." with the line of the failing entry when file is given (line = the
// field's first line), "Build-Depends: ..." otherwise.
Dependencies parse_dependencies(std::string_view value, std::string_view field_name,
                                std::string_view file = {}, std::size_t line = 0);

// dpkg's debarch_is(): does arch (amd64, armhf, kfreebsd-amd64, ...) match the
// architecture or wildcard pattern (amd64, linux-any, any-arm, gnu-any-any, any)?
bool arch_matches(std::string_view arch, std::string_view pattern);

// Reduces a build-dependency field for a host architecture and a set of active
// build profiles, like dpkg-checkbuilddeps: alternatives whose [arch list] or
// <restriction formulas> exclude them are dropped, then groups left empty. The
// result carries no arch lists or restrictions.
Dependencies evaluate_build_dependencies(const Dependencies& deps, std::string_view host_arch,
                                         const std::vector<std::string>& profiles);

}  // namespace cleanroom::formats
