#include "cleanroom/python/entry_points.h"

#include <algorithm>
#include <set>

#include "ascii_text.h"
#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {

std::vector<EntryPoint> parse_entry_points(std::string_view text, const std::string& where) {
  std::vector<EntryPoint> out;
  Diagnostics diag;
  std::string group;
  ascii::for_each_line(text, [&](long number, std::string_view raw) {
    std::string_view line = ascii::trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') return true;
    std::string at = location(where, number);
    if (line[0] == '[') {
      if (line.back() != ']') {
        diag.add(at, "section header '" + std::string(line) + "' lacks ']'");
      } else {
        group = std::string(ascii::trim(line.substr(1, line.size() - 2)));
      }
      return true;
    }
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      diag.add(at, "'" + std::string(line) + "' is not 'name = module:function'");
      return true;
    }
    if (group.empty()) {
      diag.add(at, "entry point before any [group] header");
      return true;
    }
    std::string name(ascii::trim(line.substr(0, eq)));
    std::string value(ascii::trim(line.substr(eq + 1)));
    // A script name becomes a file name in bin/ and /usr/bin: no slashes, no dot-names.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." ||
        value.empty()) {
      diag.add(at, "entry point '" + std::string(line) + "' needs a plain name and a value");
      return true;
    }
    out.push_back({group, name, value});
    return true;
  });
  diag.throw_if_any();
  return out;
}

std::vector<std::string> console_scripts(const std::vector<EntryPoint>& entry_points) {
  std::vector<std::string> names;
  for (const auto& e : entry_points) {
    if (e.group == "console_scripts") names.push_back(e.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<Link> default_links(const std::string& venv_path,
                                const std::vector<std::string>& scripts,
                                const std::string& bin_dir) {
  std::vector<Link> links;
  for (const auto& s : scripts) links.push_back({venv_path + "/bin/" + s, bin_dir + "/" + s});
  return links;
}

std::vector<Link> venv_links(const Recipe& recipe, const std::vector<Requirement>& top_level,
                             const MarkerEnvironment& env,
                             const std::map<std::string, std::string>& entry_points_by_key) {
  if (recipe.venv.links) return *recipe.venv.links;
  std::map<std::string, std::string> owner;  // script -> distribution
  Diagnostics diag;
  std::set<std::string> done;
  for (const auto& r : top_level) {
    if (!r.applies(env) || !done.insert(r.key).second) continue;
    auto it = entry_points_by_key.find(r.key);
    if (it == entry_points_by_key.end()) continue;
    for (const auto& script :
         console_scripts(parse_entry_points(it->second, r.key + " entry_points.txt"))) {
      auto [at, inserted] = owner.emplace(script, r.key);
      if (!inserted) {
        diag.add("console script '" + script + "' comes from both " + at->second + " and " + r.key +
                 "; list the wanted links explicitly with links = [...]");
      }
    }
  }
  diag.throw_if_any();
  std::vector<std::string> scripts;
  for (const auto& [script, key] : owner) scripts.push_back(script);
  return default_links(recipe.venv.venv_path, scripts);
}

}  // namespace cleanroom::python
