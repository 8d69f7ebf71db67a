// Recipe parsing: TOML in, a fully defaulted Recipe out. Every check records
// its problem and carries on, so the user sees all mistakes in one run.
#include "recipe_parse.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/base/toml_guard.h"
#include "cleanroom/formats/control_file.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/formats/version.h"
#include "cleanroom/python/build_env.h"
#include "cleanroom/python/import_check.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_files.h"
#include "toml_fields.h"

namespace cleanroom::python {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kWheelhouseOnly = {"sources", "install_path", "allow_pure_fallback",
                                               "build_env"};
const std::set<std::string> kVenvOnly = {"wheelhouse",         "venv_path",     "links", "depends",
                                         "maintainer_scripts", "systemd_units", "test",
                                         "bytecode",           "include_pip",
                                         "import_check",       "import_check_modules",
                                         "debug_symbols"};
const std::set<std::string> kMaintainerScripts = {"preinst", "postinst",  "prerm",   "postrm",
                                                  "config",  "templates", "triggers"};

// Debian policy 5.6.12, checked as dpkg does. The recipe's text becomes the
// package's version as written, so blanks around it that dpkg would skip are
// refused too.
bool is_debian_version(const std::string& s) {
  if (ascii::trim(s).size() != s.size()) return false;
  try {
    formats::parse_version(s);
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool is_maintainer(std::string_view s) {
  std::size_t lt = s.rfind('<');
  return lt != std::string_view::npos && lt > 0 && s.ends_with(">") &&
         s.find('@', lt) != std::string_view::npos && !ascii::trim(s.substr(0, lt)).empty();
}

bool is_clean_absolute(const std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  std::string normal = fs::path(p).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal == p && p.find("/../") == std::string::npos && !p.ends_with("/..");
}

// One entry of a relationship field, "foo (>= 1.0) | bar:any": alternatives
// that each name a package. No ',' (each entry is one), no substitution variables.
bool is_relation(const std::string& s) {
  if (s.find(',') != std::string::npos) return false;
  formats::Dependencies deps;
  try {
    deps = formats::parse_dependencies(s, "relation");
  } catch (const Error&) {
    return false;
  }
  if (deps.groups.size() != 1) return false;
  return std::all_of(deps.groups[0].begin(), deps.groups[0].end(),
                     [](const formats::DependencyAlternative& alt) {
                       return !alt.substvar && formats::valid_package_name(alt.name);
                     });
}

class RecipeReader {
 public:
  RecipeReader(ParsedRecipe& r, Diagnostics& diag) : r_(r), diag_(diag) {}

  void read(const toml::table& root) {
    TomlFields top(root, r_.file_shown, "", diag_);
    if (auto format = top.integer("format")) {
      if (*format < 1 || *format > kRecipeFormat) {
        top.error(top.line_of("format"), "recipe format " + std::to_string(*format) +
                                             " is not supported (this cleanroom reads up to " +
                                             std::to_string(kRecipeFormat) +
                                             "); use format = 1 or upgrade cleanroom");
      }
    }
    auto kind = top.string("kind", true, "kind = \"wheelhouse\" or kind = \"venv\"");
    bool known_kind = false;
    if (kind) {
      if (*kind == "wheelhouse" || *kind == "venv") {
        r_.recipe.kind = *kind == "venv" ? RecipeKind::Venv : RecipeKind::Wheelhouse;
        known_kind = true;
      } else {
        top.error(top.line_of("kind"),
                  "kind = \"" + *kind + "\" is unknown; use \"wheelhouse\" or \"venv\"");
      }
    }
    read_common(top);
    recipe().build_packages = relations(top, "build_packages");
    if (!known_kind) return;  // kind-specific keys cannot be judged
    if (r_.recipe.kind == RecipeKind::Wheelhouse) {
      read_wheelhouse(top);
      top.reject_unknown(kVenvOnly, "venv");
    } else {
      read_venv(top);
      top.reject_unknown(kWheelhouseOnly, "wheelhouse");
    }
  }

 private:
  Recipe& recipe() { return r_.recipe; }
  const Recipe& recipe() const { return r_.recipe; }

  RecipePath path(TomlFields& t, const std::string& key, bool required,
                  const std::string& example) {
    RecipePath p;
    auto s = t.string(key, required, example);
    if (!s) return p;
    if (s->empty()) {
      t.error(t.line_of(key), key + " is empty; name a file or directory");
      return p;
    }
    return beneath_recipe(t, key, *s, t.line_of(key));
  }

  // Every path a recipe names is taken beneath its directory: a recipe from a
  // contributor must not ship or echo a host file (/etc/shadow as a postinst).
  RecipePath beneath_recipe(TomlFields& t, const std::string& key, const std::string& written,
                            long line) {
    RecipePath p;
    p.written = written;
    p.line = line;
    p.relative = fs::path(written).lexically_normal().string();
    if (p.relative.size() > 1 && p.relative.back() == '/') p.relative.pop_back();
    p.resolved = resolve(written);
    if (!is_plain_relative_path(p.relative)) {
      t.error(line,
              fmt::format("{} \"{}\" must name a path beneath the recipe's directory "
                          "(relative, without '..'); copy the file next to the recipe{}",
                          t.name_of(key), excerpt(written, kPathExcerptMax),
                          key == "wheelhouse" ? " or give the wheelhouse with --wheelhouse" : ""));
    }
    return p;
  }

  std::string resolve(const std::string& written) const {
    fs::path p(written);
    if (p.is_relative()) p = fs::path(recipe().dir) / p;
    std::string out = p.lexically_normal().string();
    if (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  }

  void read_common(TomlFields& top) {
    Recipe& rc = recipe();
    if (auto name = top.string("name", true, "name = \"greet-svc\"")) {
      if (!formats::valid_package_name(*name)) {
        top.error(top.line_of("name"),
                  "name \"" + *name +
                      "\" is not a Debian package name; use lowercase letters, digits, '+', '-', "
                      "'.' (at least two characters)");
      }
      rc.name = *name;
    }
    if (auto version = top.string("version", true, "version = \"1.0-1\"")) {
      if (!is_debian_version(*version)) {
        top.error(
            top.line_of("version"),
            "version \"" + *version +
                "\" is not a Debian version; write [epoch:]upstream[-revision], e.g. 1:2.0-1");
      }
      rc.version = *version;
    }
    if (auto m = top.string("maintainer", true, "maintainer = \"Name <name@example.org>\"")) {
      if (!is_maintainer(*m)) {
        top.error(top.line_of("maintainer"),
                  "maintainer \"" + *m + "\" must look like \"Name <name@example.org>\"");
      }
      rc.maintainer = *m;
    }
    bool venv = rc.kind == RecipeKind::Venv;
    auto description = top.string("description", venv, "description = \"one-line summary\"");
    if (description) {
      if (ascii::trim(*description).empty()) {
        top.error(top.line_of("description"), "description is empty; write a one-line summary");
      }
      rc.description = *description;
    } else if (!venv) {
      rc.description = "Python wheelhouse " + rc.name;
    }
    read_package_docs(top);
    if (auto snap = top.string("snapshot", true, "snapshot = \"bookworm\"")) {
      if (snap->empty())
        top.error(top.line_of("snapshot"),
                  "snapshot is empty; name a snapshot from 'cleanroom snapshot list'");
      rc.snapshot = *snap;
    }
    rc.architecture = top.string("architecture", false).value_or("any");
    if (rc.architecture.empty() ||
        rc.architecture.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
            std::string::npos) {
      top.error(top.line_of("architecture"),
                "architecture \"" + rc.architecture +
                    "\" is not a Debian architecture; use any, all or e.g. amd64");
    }
    rc.python = top.string("python", false).value_or("/usr/bin/python3");
    if (!is_clean_absolute(rc.python)) {
      top.error(top.line_of("python"),
                "python \"" + rc.python + "\" must be an absolute path like /usr/bin/python3");
    }
    if (auto sde = top.integer("source_date_epoch")) {
      if (*sde < 0)
        top.error(top.line_of("source_date_epoch"),
                  "source_date_epoch must be zero or more (seconds since 1970)");
      rc.source_date_epoch = *sde;
    }
  }

  std::vector<std::string> relations(TomlFields& t, const std::string& key) {
    std::vector<std::string> out;
    auto list = t.strings(key);
    if (!list) return out;
    for (const auto& [value, line] : *list) {
      if (!is_relation(value)) {
        t.error(line, key + " entry \"" + value +
                          "\" is not a Debian package relation; write e.g. \"libssl-dev\" or "
                          "\"python3 (>= 3.11)\"");
      }
      out.push_back(value);
    }
    return out;
  }

  RequirementsInput requirements(TomlFields& t) {
    RequirementsInput in;
    const toml::node* n = t.node("requirements");
    if (!n) {
      t.error(t.line(),
              "missing required key requirements; add requirements = \"requirements.txt\" or "
              "requirements = [\"name>=1.0\"]");
      return in;
    }
    if (n->is_string()) {
      in.file = path(t, "requirements", true, "");
      return in;
    }
    const toml::array* arr = n->as_array();
    if (!arr) {
      t.error(
          toml_line(*n),
          std::string("requirements must be a file name or an array of requirement strings, not ") +
              toml_type_name(*n));
      return in;
    }
    for (const toml::node& el : *arr) {
      const auto* s = el.as_string();
      if (!s) {
        t.error(toml_line(el),
                std::string("requirements must hold only strings, not ") + toml_type_name(el));
        continue;
      }
      try {
        Requirement req = Requirement::parse(s->get());
        req.origin = location(r_.file_shown, toml_line(el));
        in.inline_requirements.push_back(std::move(req));
      } catch (const Error& e) {
        t.error(toml_line(el), e.what());
      }
    }
    if (arr->empty())
      t.error(toml_line(*n), "requirements is empty; list at least one distribution");
    return in;
  }

  std::string install_dir(TomlFields& t, const std::string& key, const std::string& fallback) {
    std::string value = t.string(key, false).value_or(fallback);
    if (!is_clean_absolute(value) || value == "/") {
      t.error(
          t.line_of(key),
          key + " \"" + value + "\" must be a normalized absolute path below /, e.g. " + fallback);
    }
    return value;
  }

  void read_wheelhouse(TomlFields& top) {
    WheelhouseFields& w = recipe().wheelhouse;
    w.sources =
        path(top, "sources", true, "sources = \"sources\" (a directory of sdists and wheels)");
    w.requirements = requirements(top);
    w.constraints = path(top, "constraints", false, "");
    w.install_path = install_dir(top, "install_path", "/opt/wheelhouses/" + recipe().name);
    if (auto list = top.strings("allow_pure_fallback")) {
      for (const auto& [value, line] : *list) {
        if (!is_valid_name(value)) {
          top.error(line, "allow_pure_fallback entry \"" + value + "\" is not a distribution name");
          continue;
        }
        w.allow_pure_fallback.push_back(normalize_name(value));
      }
      std::sort(w.allow_pure_fallback.begin(), w.allow_pure_fallback.end());
      w.allow_pure_fallback.erase(
          std::unique(w.allow_pure_fallback.begin(), w.allow_pure_fallback.end()),
          w.allow_pure_fallback.end());
    }
    read_build_env(top);
  }

  void read_build_env(TomlFields& top) {
    const toml::table* table = top.table("build_env");
    if (!table) return;
    BuildEnv& env = recipe().wheelhouse.build_env;
    for (auto&& [k, v] : *table) {
      std::string key(k.str());
      const toml::table* per = v.as_table();
      if (!per) {
        add_env(top, env.all, "build_env.", key, v);
        continue;
      }
      if (!is_valid_name(key)) {
        top.error(toml_line(v), "[build_env." + key +
                                    "] does not name a distribution; use its name as in the "
                                    "requirements, e.g. [build_env.xxhash]");
        continue;
      }
      std::string dist = normalize_name(key);
      if (env.distribution_line.count(dist)) {
        top.error(toml_line(v), "[build_env." + key + "] names " + dist +
                                    " a second time; keep one table");
        continue;
      }
      env.distribution_line[dist] = toml_line(v);
      EnvTable& vars = env.distribution[dist];
      for (auto&& [name, value] : *per)
        add_env(top, vars, "build_env." + key + ".", std::string(name.str()), value);
    }
  }

  static bool is_env_name(const std::string& s) {
    if (s.empty() || ascii::is_digit(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return ascii::is_alnum(c) || c == '_'; });
  }

  void add_env(TomlFields& top, EnvTable& to, const std::string& where, const std::string& name,
               const toml::node& value) {
    long line = toml_line(value);
    const auto* s = value.as_string();
    if (!is_env_name(name)) {
      top.error(line, where + name +
                          " is not an environment variable name; use ASCII letters, digits and "
                          "'_', not starting with a digit");
    } else if (std::string why = build_env_refusal(name); !why.empty()) {
      top.error(line, where + name + " may not be set: " + why);
    } else if (!s) {
      top.error(line, where + name + " must be a string, not " + toml_type_name(value) +
                          "; write " + name + " = \"1\"");
    } else if (std::any_of(s->get().begin(), s->get().end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      top.error(line, where + name + " holds a control character; write the value on one line");
    } else {
      to[name] = s->get();
    }
  }

  // What the .deb says of itself beyond the control file.
  void read_package_docs(TomlFields& top) {
    Recipe& rc = recipe();
    rc.long_description = top.string("long_description", false).value_or("");
    if (auto licenses = top.string("licenses", false)) {
      if (*licenses != "strict" && *licenses != "warn")
        top.error(top.line_of("licenses"), "licenses = \"" + *licenses +
                                               "\" is neither \"warn\" nor \"strict\"");
      rc.licenses_strict = *licenses == "strict";
    }
    rc.allow_lintian_errors = top.boolean("allow_lintian_errors").value_or(false);
    rc.changelog = path(top, "changelog", false, "");
  }

  void read_venv(TomlFields& top) {
    VenvFields& v = recipe().venv;
    v.wheelhouse = path(top, "wheelhouse", false, "");
    v.wheelhouse_is_deb = v.wheelhouse.resolved.ends_with(".deb");
    v.requirements = requirements(top);
    v.constraints = path(top, "constraints", false, "");
    v.venv_path = install_dir(top, "venv_path", "/opt/venvs/" + recipe().name);
    read_links(top);
    v.depends = relations(top, "depends");
    v.bytecode = top.boolean("bytecode").value_or(true);
    v.include_pip = top.boolean("include_pip").value_or(false);
    v.debug_symbols = top.boolean("debug_symbols").value_or(false);
    v.import_check = top.boolean("import_check").value_or(true);
    if (auto modules = top.strings("import_check_modules")) {
      for (const auto& [module, line] : *modules) {
        if (!is_module_name(module))
          top.error(line, "import_check_modules entry \"" + module +
                              "\" is not a module name; write it as in an import, e.g. "
                              "\"yaml\" or \"oslo_config.cfg\"");
        v.import_check_modules.push_back(module);
      }
    }
    if (const toml::table* scripts = top.table("maintainer_scripts")) {
      TomlFields t(*scripts, r_.file_shown, "maintainer_scripts.", diag_);
      for (const auto& name : kMaintainerScripts) {
        RecipePath p = path(t, name, false, "");
        if (!p.empty()) v.maintainer_scripts[name] = p;
      }
      t.reject_unknown();
    }
    if (auto units = top.strings("systemd_units")) {
      for (const auto& [value, line] : *units) {
        static const char* kSuffixes[] = {".service", ".socket", ".timer",
                                          ".path",    ".target", ".mount"};
        const std::string& unit = value;  // clang 14 cannot capture structured bindings
        bool ok = std::any_of(std::begin(kSuffixes), std::end(kSuffixes),
                              [&](const char* s) { return unit.ends_with(s); });
        if (!ok) {
          top.error(
              line,
              "systemd unit \"" + value +
                  "\" must be a unit file (.service, .socket, .timer, .path, .target or .mount)");
          continue;
        }
        v.systemd_units.push_back(beneath_recipe(top, "systemd_units", value, line));
      }
    }
    if (const toml::table* test = top.table("test")) {
      TomlFields t(*test, r_.file_shown, "test.", diag_);
      SmokeTest smoke;
      if (auto cmds = t.strings("commands")) {
        for (const auto& [cmd, line] : *cmds) {
          if (ascii::trim(cmd).empty())
            t.error(line, "test.commands holds an empty command; remove it");
          smoke.commands.push_back(cmd);
        }
        if (cmds->empty())
          t.error(t.line_of("commands"),
                  "test.commands is empty; add a smoke command like \"greet --version\"");
      } else if (!t.has("commands")) {
        t.error(t.line(),
                "missing required key test.commands; add commands = [\"greet --version\"]");
      }
      if (auto timeout = t.integer("timeout")) {
        if (*timeout <= 0)
          t.error(t.line_of("timeout"), "test.timeout must be a positive number of seconds");
        smoke.timeout_seconds = *timeout;
      }
      t.reject_unknown();
      v.test = smoke;
    }
  }

  void read_links(TomlFields& top) {
    VenvFields& v = recipe().venv;
    const toml::array* arr = top.array("links");
    if (!arr) return;
    std::vector<Link> links;
    std::set<std::string> seen;
    std::vector<std::pair<std::string, long>> placed;  // clean link paths and their lines
    for (const toml::node& el : *arr) {
      const toml::table* tbl = el.as_table();
      if (!tbl) {
        top.error(toml_line(el), std::string("links must hold tables like { target = "
                                             "\"bin/greet\", link = \"/usr/bin/greet\" }, not ") +
                                     toml_type_name(el));
        continue;
      }
      TomlFields t(*tbl, r_.file_shown, "links.", diag_);
      auto target = t.string("target", true, "target = \"bin/greet\"");
      auto link = t.string("link", true, "link = \"/usr/bin/greet\"");
      t.reject_unknown();
      if (!target || !link) continue;
      Link l;
      fs::path tp(*target);
      l.target = (tp.is_relative() ? fs::path(v.venv_path) / tp : tp).lexically_normal().string();
      l.link = *link;
      if (!is_clean_absolute(l.link) || l.link == "/") {
        t.error(t.line_of("link"),
                "link \"" + *link + "\" must be a normalized absolute path like /usr/bin/greet");
      } else if (!seen.insert(l.link).second) {
        t.error(t.line_of("link"), "link \"" + *link + "\" is listed twice; keep one");
      } else {
        placed.emplace_back(l.link, t.line_of("link"));
      }
      links.push_back(l);
    }
    refuse_nested_links(top, placed);
    v.links = links;
  }

  // A link beneath another (/usr/lib/x and /usr/lib/x/y) would be made through
  // the first, into whatever it points at: on the host, when the package is
  // staged; on the user's machine, when it is installed.
  void refuse_nested_links(TomlFields& top,
                           const std::vector<std::pair<std::string, long>>& placed) {
    for (const auto& [inner, line] : placed) {
      for (const auto& [outer, outer_line] : placed) {
        if (inner.size() <= outer.size() || !inner.starts_with(outer) || inner[outer.size()] != '/')
          continue;
        top.error(line, fmt::format("link \"{}\" lies beneath link \"{}\" (line {}), which would "
                                    "lead it elsewhere; give it a path of its own outside \"{}\"",
                                    inner, outer, outer_line, outer));
      }
    }
  }

  ParsedRecipe& r_;
  Diagnostics& diag_;
};

}  // namespace

const char* recipe_kind_name(RecipeKind kind) {
  return kind == RecipeKind::Venv ? "venv" : "wheelhouse";
}

void parse_recipe_into(ParsedRecipe& out, std::string_view text, Diagnostics& diag) {
  if (auto line = toml_first_non_ascii_line(text)) {
    diag.add(location(out.file_shown, static_cast<long>(*line)), kTomlNonAsciiFix);
    return;
  }
  toml::table root;
  try {
    root = toml::parse(text, out.file_shown);
  } catch (const toml::parse_error& e) {
    diag.add(location(out.file_shown, static_cast<long>(e.source().begin.line)),
             std::string(e.description()) + "; fix the TOML syntax");
    return;
  }
  RecipeReader(out, diag).read(root);
}

Recipe parse_recipe(std::string_view text, const std::string& path) {
  ParsedRecipe parsed(path);
  Diagnostics diag;
  parse_recipe_into(parsed, text, diag);
  diag.throw_if_any();
  return parsed.recipe;
}

}  // namespace cleanroom::python
