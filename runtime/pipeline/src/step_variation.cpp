#include "cleanroom/pipeline/step_variation.h"

#include <fmt/format.h>

namespace cleanroom::build {

std::vector<std::string> variation_environment(const StepVariation& v) {
  std::vector<std::string> env = v.env;
  if (v.jobs) env.push_back(fmt::format("MAKEFLAGS=-j{}", *v.jobs));
  return env;
}

std::string variation_preamble(const StepVariation& v) {
  std::string out = v.umask ? fmt::format("umask {:03o}\n", *v.umask) : "";
  return out + v.preamble;
}

}  // namespace cleanroom::build
