// The venv import check: after the package is installed in the offline test
// sandbox, the venv's interpreter imports the modules its top-level
// requirements promise (each console script's module, each top-level module
// of their wheels) and those the recipe adds. A dependency that the wheels
// do not declare (pkg_resources without setuptools is the usual one) then
// fails the build instead of the first run on a user's machine.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/marker.h"
#include "cleanroom/python/requirement.h"

namespace cleanroom::python {

struct ImportTarget {
  std::string distribution;  // normalized name; "" for the recipe's import_check_modules
  std::string module;        // dotted name
  bool operator==(const ImportTarget&) const = default;
};

// What a top-level requirement's wheel offers: its entry_points.txt text and
// the names of its members.
struct WheelModules {
  std::string entry_points;
  std::vector<std::string> members;
};

// "a.b_c" yes; "", "a..b", "1a", "a-b" no.
bool is_module_name(std::string_view name);

// Modules a wheel installs at the top: packages (dir/__init__.py), modules
// (name.py) and extension modules (name.*.so); sorted, unique.
std::vector<std::string> wheel_top_level_modules(const std::vector<std::string>& members);

// Every module to import, each once, in order: per top-level requirement
// (whose marker holds) its console scripts' modules then its top-level
// modules, then the recipe's own list.
std::vector<ImportTarget> import_targets(const std::vector<Requirement>& top_level,
                                         const MarkerEnvironment& env,
                                         const std::map<std::string, WheelModules>& wheels_by_key,
                                         const std::vector<std::string>& extra_modules);

// The fix for an import that failed because `missing` could not be found.
std::string import_failure_fix(const std::string& missing);

}  // namespace cleanroom::python
