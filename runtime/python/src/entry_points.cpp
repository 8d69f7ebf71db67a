#include "cleanroom/python/entry_points.h"

#include <algorithm>

#include "ascii_text.h"
#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {

std::vector<EntryPoint> parse_entry_points(std::string_view text, const std::string& where) {
  std::vector<EntryPoint> out;
  Diagnostics diag;
  std::string group;
  long number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    std::string_view line = ascii::trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    std::string at = location(where, number);
    if (line[0] == '[') {
      if (line.back() != ']') {
        diag.add(at, "section header '" + std::string(line) + "' lacks ']'");
        continue;
      }
      group = std::string(ascii::trim(line.substr(1, line.size() - 2)));
      continue;
    }
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      diag.add(at, "'" + std::string(line) + "' is not 'name = module:function'");
      continue;
    }
    if (group.empty()) {
      diag.add(at, "entry point before any [group] header");
      continue;
    }
    std::string name(ascii::trim(line.substr(0, eq)));
    std::string value(ascii::trim(line.substr(eq + 1)));
    // A script name becomes a file name in bin/ and /usr/bin: no slashes, no dot-names.
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." ||
        value.empty()) {
      diag.add(at, "entry point '" + std::string(line) + "' needs a plain name and a value");
      continue;
    }
    out.push_back({group, name, value});
  }
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

std::vector<Link> default_links(const std::string& venv_path, const std::vector<std::string>& scripts,
                                const std::string& bin_dir) {
  std::vector<Link> links;
  for (const auto& s : scripts) links.push_back({venv_path + "/bin/" + s, bin_dir + "/" + s});
  return links;
}

}  // namespace cleanroom::python
