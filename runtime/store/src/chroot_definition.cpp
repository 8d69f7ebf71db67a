#include "cleanroom/store/chroot_definition.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include "cleanroom/base/toml_guard.h"  // before toml++: it sets its assert macro
#include <toml++/toml.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"

namespace cleanroom::store {

namespace {

constexpr std::int64_t kDefinitionVersion = 1;

// Collects every problem of one file so the user fixes them in one go.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(std::size_t line, const std::string& what) {
    text_ += fmt::format("{}{}:{}: {}", text_.empty() ? "" : "\n", file_, line, what);
  }
  void throw_if_any() const {
    if (!text_.empty()) throw_input(text_);
  }

 private:
  std::string file_;
  std::string text_;
};

std::size_t line_of(const toml::node& node) { return node.source().begin.line; }

void read_string(const toml::table& t, const char* key, std::string& out, Problems& p,
                 bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) p.add(1, fmt::format("missing key '{}'", key));
    return;
  }
  if (auto s = n->value<std::string>(); s && n->is_string())
    out = *s;
  else
    p.add(line_of(*n), fmt::format("'{}' must be a string", key));
}

void read_strings(const toml::table& t, const char* key, std::vector<std::string>& out,
                  Problems& p, bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) p.add(1, fmt::format("missing key '{}'", key));
    return;
  }
  const toml::array* a = n->as_array();
  if (!a) {
    p.add(line_of(*n), fmt::format("'{}' must be a list of strings", key));
    return;
  }
  out.clear();
  for (const toml::node& item : *a) {
    if (!item.is_string())
      p.add(line_of(item), fmt::format("'{}' must hold only strings", key));
    else
      out.push_back(*item.value<std::string>());
  }
}

std::string self_exe_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  return parent_dir(std::string(buf, static_cast<std::size_t>(n)));
}

}  // namespace

ChrootDefinition parse_chroot_definition(const std::string& text, const std::string& file_name) {
  if (auto line = toml_first_non_ascii_line(text))
    throw_input(fmt::format("{}:{}: {}", file_name, *line, kTomlNonAsciiFix));
  toml::table table;
  try {
    table = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    throw_input(fmt::format("{}:{}: {}", file_name, e.source().begin.line, e.description()));
  }
  Problems p(file_name);
  ChrootDefinition d;
  static const char* const known[] = {"format_version", "suite", "mirror", "keyrings",
                                      "components", "variant", "packages", "deb_compression",
                                      "check_valid_until"};
  for (const auto& [key, node] : table) {
    if (std::find(std::begin(known), std::end(known), key.str()) == std::end(known))
      p.add(line_of(node), fmt::format("unknown key '{}'", key.str()));
  }
  if (const toml::node* v = table.get("format_version")) {
    auto n = v->value<std::int64_t>();
    if (!v->is_integer() || !n)
      p.add(line_of(*v), "'format_version' must be an integer");
    else if (*n > kDefinitionVersion)
      p.add(line_of(*v), fmt::format("format_version {} is newer than this cleanroom reads ({})",
                                     *n, kDefinitionVersion));
  }
  read_string(table, "suite", d.suite, p, true);
  read_string(table, "mirror", d.mirror, p, true);
  read_strings(table, "keyrings", d.keyrings, p, true);
  read_strings(table, "components", d.components, p, true);
  read_string(table, "variant", d.variant, p, false);
  read_strings(table, "packages", d.packages, p, false);
  read_string(table, "deb_compression", d.deb_compression, p, true);
  if (const toml::node* v = table.get("check_valid_until")) {
    if (!v->is_boolean())
      p.add(line_of(*v), "'check_valid_until' must be true or false");
    else
      d.check_valid_until = *v->value<bool>();
  }
  if (const toml::node* v = table.get("deb_compression");
      v && v->is_string() && d.deb_compression != "xz" && d.deb_compression != "zstd")
    p.add(line_of(*v), fmt::format("deb_compression must be \"xz\" or \"zstd\", not \"{}\"",
                                   d.deb_compression));
  if (const toml::node* v = table.get("mirror");
      v && v->is_string() && d.mirror.find("://") == std::string::npos)
    p.add(line_of(*v), fmt::format("mirror '{}' is not a URL (http://...)", d.mirror));
  if (const toml::node* v = table.get("components"); v && v->is_array() && d.components.empty())
    p.add(line_of(*v), "components must name at least one component (\"main\")");
  p.throw_if_any();
  return d;
}

std::string chroot_definitions_dir() {
  if (const char* env = std::getenv("CLEANROOM_CHROOTS"); env && *env) return env;
  std::string exe_dir = self_exe_dir();
  if (!exe_dir.empty()) {
    std::string installed = exe_dir + "/../share/cleanroom/chroots";
    if (path_exists(installed)) return installed;
  }
  return CLEANROOM_SOURCE_CHROOTS;
}

std::vector<std::string> known_suites(const std::string& dir) {
  std::vector<std::string> out;
  if (!path_exists(dir)) return out;
  const std::string ext = ".toml";
  for (const auto& name : list_dir(dir))
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      out.push_back(name.substr(0, name.size() - ext.size()));
  return out;
}

ChrootDefinition load_chroot_definition(const std::string& dir, const std::string& suite) {
  auto suites = known_suites(dir);
  if (std::find(suites.begin(), suites.end(), suite) == suites.end()) {
    std::string list = join(suites, ", ");
    throw_input(fmt::format("unknown suite '{}': no {}/{}.toml; known suites: {}", suite, dir,
                            suite, list.empty() ? "none" : list));
  }
  std::string file = dir + "/" + suite + ".toml";
  ChrootDefinition d = parse_chroot_definition(read_file(file), file);
  if (d.suite != suite)
    throw_input(fmt::format("{}: suite is '{}' but the file is named for '{}'", file, d.suite,
                            suite));
  return d;
}

}  // namespace cleanroom::store
