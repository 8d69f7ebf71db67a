// The build step's script: the build user, the variation's preamble, the
// patches of a copied tree, and the dpkg-buildpackage call that runs the
// debian/rules targets the selection needs. Pure, so it is unit-tested.
#pragma once

#include <cstdint>
#include <string>

#include "cleanroom/package/debian_build.h"

namespace cleanroom::build {

inline constexpr const char* kBuildUser = "cleanroom-build";
inline constexpr const char* kBuildHome = "/nonexistent/cleanroom-home";

struct BuildScriptInput {
  std::string build_path;         // <parent>/<source>-<version>
  std::string build_path_parent;  // bound to the work dir's build/
  bool has_build_user = true;     // false: a single-id store builds as the sandbox's root
  std::uint32_t build_id = 1000;  // uid and gid of the build user
  unsigned umask = 022;
  unsigned jobs = 1;
  std::string preamble, prefix;   // the variation's (step_variation.h)
  bool tree_source = false;       // copied tree: apply its patches first
  std::string rules_requires_root;
  BuildSelection selection = BuildSelection::Full;
};

// The debian/rules targets dpkg-buildpackage's own sequence would run for the
// selection (for dpkg-buildpackage -T).
std::string rules_targets(BuildSelection selection, const std::string& rules_requires_root);

std::string build_script(const BuildScriptInput& in);

}  // namespace cleanroom::build
