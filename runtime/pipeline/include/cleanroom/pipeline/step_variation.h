// What verify changes in a sandbox step of a varied build.
#pragma once

#include <string>
#include <vector>

namespace cleanroom::build {

// What verify changes in every sandbox step of a recipe's varied build (a
// recipe runs pip, not dpkg-buildpackage, so its variations apply per step).
struct StepVariation {
  std::vector<std::string> env;       // NAME=VALUE over the step's own
  std::string hostname, domainname;   // "": the step's own
  std::string preamble;               // shell lines run before the step's script
  std::string prefix;                 // command words the step's script runs under
  bool empty() const {
    return env.empty() && hostname.empty() && domainname.empty() && preamble.empty() &&
           prefix.empty();
  }
};

}  // namespace cleanroom::build
