// debian/control (deb-src-control(5)): the source paragraph and one paragraph per
// binary package, checked as a whole before a build starts, so that a typo in a
// relationship field stops the build at "debian/control:14" instead of deep
// inside apt or dpkg-gencontrol.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/dependency.h"

namespace cleanroom::formats {

struct BinaryPackage {
  std::string name;
  std::vector<std::string> architectures;  // "all", "any", or names and wildcards
  std::string synopsis;                    // first line of Description, empty if none
  Deb822Paragraph paragraph;

  bool arch_independent() const { return architectures.size() == 1 && architectures[0] == "all"; }
  // Whether an arch-dependent build for host_arch produces this package.
  bool built_for(std::string_view host_arch) const;
};

struct SourceControl {
  std::string source;
  std::string maintainer;
  Deb822Paragraph paragraph;  // the source paragraph, all fields
  Dependencies build_depends, build_depends_arch, build_depends_indep;
  Dependencies build_conflicts, build_conflicts_arch, build_conflicts_indep;
  std::vector<BinaryPackage> packages;  // in file order
};

// Parses and checks a debian/control text. name is used in messages. Errors are
// Input, "debian/control:LINE: ...": a first paragraph without Source, a binary
// paragraph without Package or Architecture, invalid or repeated package names,
// and any relationship field (source or binary) that does not parse.
SourceControl parse_control_file(std::string_view text, const std::string& name);
SourceControl read_control_file(const std::string& path);

// Debian policy §5.6.1/§5.6.7: [a-z0-9][a-z0-9+.-]+.
bool valid_package_name(std::string_view name);

}  // namespace cleanroom::formats
