// entry_points.txt of an installed distribution (an INI file of groups), read
// for its console_scripts: those become the default /usr/bin links of a venv
// package, the way dh-virtualenv users expect `/usr/bin/cloudkitty-api`.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/recipe.h"

namespace cleanroom::python {

struct EntryPoint {
  std::string group;  // console_scripts, gui_scripts, ...
  std::string name;   // the script name
  std::string value;  // module:attr [extras]
};

// `where` names the text in messages. Every problem at once (Input error).
std::vector<EntryPoint> parse_entry_points(std::string_view text, const std::string& where);

// Names in the console_scripts group, sorted and unique.
std::vector<std::string> console_scripts(const std::vector<EntryPoint>& entry_points);

// <venv>/bin/<script> -> <bin_dir>/<script> for each script.
std::vector<Link> default_links(const std::string& venv_path,
                                const std::vector<std::string>& scripts,
                                const std::string& bin_dir = "/usr/bin");

// The links a venv package installs: the recipe's own `links` when it has
// them, else the console scripts of its top-level requirements (those whose
// marker holds in `env`) into /usr/bin. `entry_points_by_key` maps a
// normalized distribution name to its entry_points.txt text (absent: none).
// Throws an Input error when two distributions claim the same /usr/bin name.
std::vector<Link> venv_links(const Recipe& recipe, const std::vector<Requirement>& top_level,
                             const MarkerEnvironment& env,
                             const std::map<std::string, std::string>& entry_points_by_key);

}  // namespace cleanroom::python
