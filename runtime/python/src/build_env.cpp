#include "cleanroom/python/build_env.h"

#include <algorithm>
#include <fmt/format.h>

#include "ascii_text.h"
#include "cleanroom/base/closest_name.h"
#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {
std::string build_env_refusal(std::string_view name) {
  // Any case: curl and pip read the proxy names in both.
  std::string n = ascii::lower(name);
  if (n.starts_with("pip_"))
    return "pip's settings are cleanroom's (offline, from the sources directory only); remove it";
  if (n == "http_proxy" || n == "https_proxy" || n == "no_proxy" || n == "all_proxy" ||
      n == "ftp_proxy")
    return "a wheel build has no network, a proxy would only make it look for one; remove it and "
           "put what the build downloads into the sources directory";
  if (n == "pythonpath" || n == "pythonhome" || n == "pythonstartup" || n == "pythonuserbase")
    return "it would load Python modules from outside the build's inputs; add the module's "
           "Debian package to build_packages or its sdist to the sources";
  if (n == "pythonhashseed" || n == "pythondontwritebytecode" || n == "pythonnousersite")
    return "cleanroom pins it so that builds agree; remove it";
  if (n == "ld_preload" || n == "ld_library_path" || n == "ld_audit")
    return "it would load libraries from outside the snapshot; add the library's -dev package "
           "to build_packages";
  if (n == "source_date_epoch") return "set source_date_epoch at the top of the recipe instead";
  if (n == "home")
    return "cleanroom points HOME nowhere so that no user configuration is read; remove it";
  if (n == "path")
    return "the build's tools come from the snapshot and build_packages; add the tool's Debian "
           "package to build_packages";
  return "";
}

EnvTable build_env_for(const BuildEnv& env, const std::string& key) {
  EnvTable out = env.all;
  auto it = env.distribution.find(key);
  if (it != env.distribution.end())
    for (const auto& [name, value] : it->second) out[name] = value;
  return out;
}

std::vector<std::pair<std::string, std::string>> build_env_record(const BuildEnv& env) {
  std::vector<std::pair<std::string, std::string>> out(env.all.begin(), env.all.end());
  for (const auto& [dist, table] : env.distribution)
    for (const auto& [name, value] : table) out.emplace_back(dist + ":" + name, value);
  return out;
}

std::vector<std::string> unknown_build_env_distributions(const BuildEnv& env,
                                                         const std::vector<std::string>& known,
                                                         const std::string& recipe_file) {
  std::vector<std::string> problems;
  for (const auto& [dist, table] : env.distribution) {
    if (std::find(known.begin(), known.end(), dist) != known.end()) continue;
    auto line = env.distribution_line.find(dist);
    std::string at = location(recipe_file, line == env.distribution_line.end() ? 0 : line->second);
    std::string best = closest_name(dist, known);
    problems.push_back(fmt::format(
        "{}: [build_env.{}] names a distribution that is not in the requirements; {}", at, dist,
        best.empty() ? "fix the name or add the distribution to the requirements"
                     : fmt::format("did you mean '{}'?", best)));
  }
  return problems;
}

}  // namespace cleanroom::python
