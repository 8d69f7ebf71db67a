#include "cleanroom/python/import_check.h"

#include <algorithm>
#include <set>

#include "ascii_text.h"
#include "cleanroom/python/entry_points.h"

namespace cleanroom::python {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || ascii::is_digit(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return ascii::is_alnum(c) || c == '_'; });
}

// "pkg.cli:main [extra]" -> "pkg.cli". A script's `pkg.__main__` is its
// package instead: importing __main__ runs the program (often an unguarded
// sys.exit(main())), and `python -m pkg` finds it through the package.
std::string entry_point_module(const std::string& value) {
  std::string module(ascii::trim(std::string_view(value).substr(0, value.find_first_of(":["))));
  constexpr std::string_view kMain = ".__main__";
  if (module.size() > kMain.size() && module.ends_with(kMain)) module.erase(module.size() - kMain.size());
  return module;
}

}  // namespace

bool is_module_name(std::string_view name) {
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = name.find('.', start);
    if (!is_identifier(name.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::vector<std::string> wheel_top_level_modules(const std::vector<std::string>& members) {
  std::set<std::string> out;
  for (const auto& m : members) {
    std::size_t slash = m.find('/');
    if (slash == std::string::npos) {
      std::string_view name(m);
      if (name.ends_with(".py")) {
        name.remove_suffix(3);
      } else if (name.ends_with(".so")) {
        name = name.substr(0, name.find('.'));
      } else {
        continue;
      }
      if (is_identifier(name)) out.emplace(name);
      continue;
    }
    std::string top = m.substr(0, slash);
    if (m.compare(slash, std::string::npos, "/__init__.py") == 0 && is_identifier(top))
      out.insert(top);
  }
  return {out.begin(), out.end()};
}

std::vector<ImportTarget> import_targets(const std::vector<Requirement>& top_level,
                                         const MarkerEnvironment& env,
                                         const std::map<std::string, WheelModules>& wheels_by_key,
                                         const std::vector<std::string>& extra_modules) {
  std::vector<ImportTarget> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& dist, const std::string& module) {
    if (is_module_name(module) && seen.insert(module).second) out.push_back({dist, module});
  };
  std::set<std::string> done;
  for (const auto& r : top_level) {
    if (!r.applies(env) || !done.insert(r.key).second) continue;
    auto it = wheels_by_key.find(r.key);
    if (it == wheels_by_key.end()) continue;
    for (const auto& ep : parse_entry_points(it->second.entry_points, r.key + " entry_points.txt"))
      if (ep.group == "console_scripts") add(r.key, entry_point_module(ep.value));
    for (const auto& module : wheel_top_level_modules(it->second.members)) add(r.key, module);
  }
  for (const auto& module : extra_modules) add("", module);
  return out;
}

std::string import_failure_fix(const std::string& missing) {
  std::string top = missing.substr(0, missing.find('.'));
  if (top == "pkg_resources" || top == "setuptools")
    return "set include_pip = true in the recipe (the venv gets setuptools), or add setuptools "
           "to the wheelhouse and to the recipe's requirements";
  return "add the distribution that provides '" + top +
         "' to the wheelhouse and to the recipe's requirements, or set import_check = false if "
         "the module is optional";
}

}  // namespace cleanroom::python
