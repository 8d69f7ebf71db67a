// A wheelhouse recipe's [build_env]: environment variables its sdist builds
// get, for every sdist and per distribution. Some libraries choose how to
// build only from the environment (XXHASH_LINK_SO=1 links the system
// library); names that would reach past the sandbox's inputs or undo what
// cleanroom pins are refused.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroom::python {

using EnvTable = std::map<std::string, std::string>;  // NAME -> value

struct BuildEnv {
  EnvTable all;                                 // [build_env]: every sdist
  std::map<std::string, EnvTable> distribution;  // [build_env.<normalized name>]
  std::map<std::string, long> distribution_line;  // where each table starts, for messages
  bool empty() const { return all.empty() && distribution.empty(); }
};

// Why `name` may not be set for a build and what to do instead ("" when it may).
std::string build_env_refusal(std::string_view name);

// What one distribution's build gets: the recipe-wide table, then its own over it.
EnvTable build_env_for(const BuildEnv& env, const std::string& key);

// NAME=value pairs for the .buildinfo's Environment: recipe-wide ones by
// name, a distribution's own as <distribution>:NAME.
std::vector<std::pair<std::string, std::string>> build_env_record(const BuildEnv& env);

// Problems with per-distribution tables naming a distribution that is not
// among `known` (normalized names), each "FILE:LINE: ...; did you mean ...".
std::vector<std::string> unknown_build_env_distributions(const BuildEnv& env,
                                                         const std::vector<std::string>& known,
                                                         const std::string& recipe_file);

}  // namespace cleanroom::python
