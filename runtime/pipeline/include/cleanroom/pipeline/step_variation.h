// What verify's varied build changes, as one value both pipelines take
// (verify/variation.h makes it from a set of variations). A Debian source
// build reads every field at the place its step needs it; a recipe build
// hands it to each sandbox step after its layer is prepared, and
// run_sandbox_step applies the fields that make sense for any step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cleanroom::build {

struct StepVariation {
  std::vector<std::string> env;      // NAME=VALUE over the step's own
  std::string hostname, domainname;  // "": the step's own
  std::string preamble;              // shell lines run as the sandbox's root before the command
  std::string prefix;                // command words the build command runs under
  std::optional<unsigned> umask;     // none: 022
  std::optional<unsigned> jobs;      // none: the build's own count
  // Only a Debian source build has these (a recipe builds at fixed paths as
  // the sandbox's root).
  std::string build_path_parent;       // "": /build
  std::string build_dir_name;          // "": <source>-<version without epoch>
  std::optional<std::uint32_t> build_id;  // uid and gid of the build user; none: 1000

  bool empty() const {
    return env.empty() && hostname.empty() && domainname.empty() && preamble.empty() &&
           prefix.empty() && !umask && !jobs && build_path_parent.empty() && build_dir_name.empty() && !build_id;
  }
};

// The environment a generic step gets from a variation: its env, and for a
// changed job count the MAKEFLAGS that make builds honour it.
std::vector<std::string> variation_environment(const StepVariation& v);

// Shell lines a generic step runs first: a changed umask, then the preamble.
std::string variation_preamble(const StepVariation& v);

}  // namespace cleanroom::build
