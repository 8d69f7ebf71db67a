// What an imported tree says about itself, for archives imported without
// --suite: the suite from os-release's VERSION_CODENAME and the architecture
// from dpkg's own status entry. Only regular files inside the tree are read
// (never a symlink, which could point at the host's files).
#pragma once

#include <string>
#include <string_view>

namespace cleanroom::store {

struct TreeFacts {
  std::string suite;  // "" when the tree does not say
  std::string arch;
};

TreeFacts read_tree_facts(const std::string& tree);

// VERSION_CODENAME from os-release(5) text, unquoted; "" when absent.
std::string os_release_codename(std::string_view text);
// The Architecture of the "Package: dpkg" paragraph of a dpkg status file.
std::string dpkg_status_arch(std::string_view status);

}  // namespace cleanroom::store
