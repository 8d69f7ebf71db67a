// The recipe hash keys caches and is recorded in .buildinfo, so it must change
// exactly when the recipe's meaning does. It is built from the parsed,
// defaulted model in a fixed order with length-prefixed parts (HashKey): key
// order, comments, quoting and the recipe's location do not count, and a
// default written out hashes like the default left implicit. Paths count as
// written (relative to the recipe); the contents of the files they name are
// hashed by the steps that read them.
#include <filesystem>

#include "cleanroom/base/sha256.h"
#include "cleanroom/python/recipe.h"

namespace cleanroom::python {
namespace {

class Fields {
 public:
  explicit Fields(HashKey& key) : key_(key) {}

  void add(std::string_view field, std::string_view value) { key_.add(field).add(value); }
  void add(std::string_view field, std::uint64_t value) { key_.add(field).add(value); }
  void add(std::string_view field, const std::vector<std::string>& values) {
    key_.add(field).add(static_cast<std::uint64_t>(values.size()));
    for (const auto& v : values) key_.add(v);
  }
  // "./sources/" and "sources" name the same directory.
  void add_path(std::string_view field, const RecipePath& p) {
    std::string normal = std::filesystem::path(p.written).lexically_normal().string();
    if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
    add(field, p.empty() ? std::string() : normal);
  }
  void add(std::string_view field, const RequirementsInput& in) {
    add_path(field, in.file);
    std::vector<std::string> lines;
    for (const auto& r : in.inline_requirements) lines.push_back(r.str());
    add(std::string(field) + ".inline", lines);
  }

 private:
  HashKey& key_;
};

}  // namespace

std::string recipe_hash(const Recipe& r) {
  HashKey key("recipe/v1");
  Fields f(key);
  f.add("kind", recipe_kind_name(r.kind));
  f.add("name", r.name);
  f.add("version", r.version);
  f.add("maintainer", r.maintainer);
  f.add("description", r.description);
  f.add("snapshot", r.snapshot);
  f.add("architecture", r.architecture);
  f.add("python", r.python);
  f.add("source_date_epoch", r.source_date_epoch ? std::to_string(*r.source_date_epoch) : "");
  f.add("build_packages", r.build_packages);
  // Only when set, so recipes without them keep their hash. The lintian and
  // license policies decide whether a build passes, not its bytes.
  if (!r.long_description.empty()) f.add("long_description", r.long_description);
  if (!r.changelog.empty()) f.add_path("changelog", r.changelog);
  if (r.kind == RecipeKind::Wheelhouse) {
    const WheelhouseFields& w = r.wheelhouse;
    f.add_path("sources", w.sources);
    f.add("requirements", w.requirements);
    f.add_path("constraints", w.constraints);
    f.add("install_path", w.install_path);
    f.add("allow_pure_fallback", w.allow_pure_fallback);
    // Sorted by distribution, then by name: table order does not count. Left
    // out when empty, so recipes without it keep the hash they had.
    if (w.build_env.empty()) return key.hex();
    std::vector<std::string> env;
    for (const auto& [name, value] : build_env_record(w.build_env)) {
      env.push_back(name);
      env.push_back(value);
    }
    f.add("build_env", env);
    return key.hex();
  }
  const VenvFields& v = r.venv;
  f.add_path("wheelhouse", v.wheelhouse);
  f.add("requirements", v.requirements);
  f.add_path("constraints", v.constraints);
  f.add("venv_path", v.venv_path);
  f.add("bytecode", std::uint64_t{v.bytecode});
  f.add("include_pip", std::uint64_t{v.include_pip});
  if (v.debug_symbols) f.add("debug_symbols", std::uint64_t{1});
  // Only when not the default, so recipes without them keep their hash.
  if (!v.import_check || !v.import_check_modules.empty()) {
    f.add("import_check", std::uint64_t{v.import_check});
    f.add("import_check_modules", v.import_check_modules);
  }
  if (v.links) {
    std::vector<std::string> links;
    for (const auto& l : *v.links) {
      links.push_back(l.target);
      links.push_back(l.link);
    }
    f.add("links", links);
  } else {
    f.add("links", "console-scripts");
  }
  f.add("depends", v.depends);
  f.add("maintainer_scripts", static_cast<std::uint64_t>(v.maintainer_scripts.size()));
  for (const auto& [name, p] : v.maintainer_scripts) f.add_path(name, p);
  f.add("systemd_units", static_cast<std::uint64_t>(v.systemd_units.size()));
  for (const auto& unit : v.systemd_units) f.add_path("unit", unit);
  if (v.test) {
    f.add("test.commands", v.test->commands);
    f.add("test.timeout", static_cast<std::uint64_t>(v.test->timeout_seconds));
  } else {
    f.add("test", "none");
  }
  return key.hex();
}

}  // namespace cleanroom::python
