#include "cleanroom/store/tree_facts.h"

#include "cleanroom/base/error.h"
#include "cleanroom/base/sandbox_file.h"

namespace cleanroom::store {

namespace {

// Each line of text, without its newline, until fn returns false.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!fn(line)) return;
  }
}

// The tree comes from an archive anyone may have made: a directory on the way
// may be a link to the host's (usr/lib -> /usr/lib), so the file is opened
// beneath the tree without following any link; anything else reads as absent.
std::string read_regular(const std::string& tree, const std::string& relative) {
  try {
    return read_sandbox_file(tree, relative, kSandboxTextMax);
  } catch (const Error&) {
    return "";
  }
}

}  // namespace

std::string os_release_codename(std::string_view text) {
  std::string out;
  for_each_line(text, [&](std::string_view line) {
    constexpr std::string_view key = "VERSION_CODENAME=";
    if (line.substr(0, key.size()) != key) return true;
    std::string_view v = line.substr(key.size());
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    out = std::string(v);
    return false;
  });
  return out;
}

std::string dpkg_status_arch(std::string_view status) {
  bool in_dpkg = false;
  std::string out;
  for_each_line(status, [&](std::string_view line) {
    if (line.empty()) {
      in_dpkg = false;
    } else if (line.substr(0, 9) == "Package: ") {
      in_dpkg = line.substr(9) == "dpkg";
    } else if (in_dpkg && line.substr(0, 14) == "Architecture: ") {
      out = std::string(line.substr(14));
      return false;
    }
    return true;
  });
  return out;
}

TreeFacts read_tree_facts(const std::string& tree) {
  TreeFacts facts;
  std::string os = read_regular(tree, "usr/lib/os-release");
  if (os.empty()) os = read_regular(tree, "etc/os-release");
  facts.suite = os_release_codename(os);
  facts.arch = dpkg_status_arch(read_regular(tree, "var/lib/dpkg/status"));
  return facts;
}

}  // namespace cleanroom::store
