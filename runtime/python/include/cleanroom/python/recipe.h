// Recipes: the TOML files that describe a wheelhouse package (every wheel of a
// release, built once) or a venv package (one service installed offline from a
// wheelhouse). Parsing validates everything and reports every problem at once,
// each as "recipe.toml:LINE: what is wrong; how to fix it"; defaults are filled
// in so later steps never guess. docs/recipes.md documents every key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/build_env.h"
#include "cleanroom/python/requirement.h"

namespace cleanroom::python {

// Highest recipe format this code reads ("format = 1" in a recipe).
inline constexpr std::int64_t kRecipeFormat = 1;

enum class RecipeKind { Wheelhouse, Venv };

// A path as written in the recipe (hashed, shown in messages), normalized
// relative to the recipe's directory (opened beneath it: recipe_files.h) and
// resolved against it (shown, and used where a path is needed).
struct RecipePath {
  std::string written;
  std::string relative;
  std::string resolved;
  long line = 0;
  bool empty() const { return written.empty(); }
};

// Requirements come from a file (pip's format) or inline in the recipe.
struct RequirementsInput {
  RecipePath file;
  std::vector<Requirement> inline_requirements;
};

struct Link {
  std::string target;  // absolute path the symlink points to (inside the venv)
  std::string link;    // absolute path of the symlink, e.g. /usr/bin/greet
};

struct SmokeTest {
  std::vector<std::string> commands;  // each run by /bin/sh -c in a fresh sandbox
  std::int64_t timeout_seconds = 300;
};

struct WheelhouseFields {
  RecipePath sources;  // directory of sdists and wheels
  RequirementsInput requirements;
  RecipePath constraints;                        // optional
  std::string install_path;                      // default /opt/wheelhouses/<name>
  std::vector<std::string> allow_pure_fallback;  // normalized names, sorted
  BuildEnv build_env;                            // [build_env], [build_env.<name>]
};

struct VenvFields {
  RecipePath wheelhouse;  // directory or .deb; may come from --wheelhouse instead
  bool wheelhouse_is_deb = false;
  RequirementsInput requirements;
  RecipePath constraints;  // optional
  std::string venv_path;   // default /opt/venvs/<name>
  // nullopt: link the console scripts of the top-level requirements into /usr/bin.
  std::optional<std::vector<Link>> links;
  std::vector<std::string> depends;
  std::map<std::string, RecipePath> maintainer_scripts;  // postinst -> file
  std::vector<RecipePath> systemd_units;
  std::optional<SmokeTest> test;
  bool bytecode = true;      // ship checked-hash .pyc (PEP 552); false: no .pyc at all
  bool include_pip = false;  // give the venv its own pip and setuptools
  // Keep the compiled modules' debug info in a <name>-dbgsym package, as
  // dh_strip does, instead of dropping it when stripping them.
  bool debug_symbols = false;
  // Import, in the offline test sandbox, the modules of the top-level
  // requirements (their console scripts' and their top-level modules) and these.
  bool import_check = true;
  std::vector<std::string> import_check_modules;  // dotted names, as written
};

struct Recipe {
  RecipeKind kind = RecipeKind::Wheelhouse;
  std::string file;     // the recipe, as the caller named it (quoted in messages)
  std::string dir;      // its absolute directory: base of relative paths
  std::string name;     // Debian binary package name
  std::string version;  // Debian version, epoch allowed
  std::string maintainer;
  std::string description;
  // The extended description; "" lists the bundled distributions instead.
  std::string long_description;
  // A distribution whose license its metadata does not name fails the build
  // (true) or is a warning and "License: unknown" in the copyright file.
  bool licenses_strict = false;
  // lintian's errors on the .deb fail the build unless this is true.
  bool allow_lintian_errors = false;
  // A Debian changelog shipped as the package's changelog.Debian.gz instead of
  // the one-entry changelog written from the recipe; its top entry's version
  // must be the recipe's.
  RecipePath changelog;
  std::string snapshot;
  std::string architecture;  // default "any": the build's architecture
  std::string python;        // interpreter inside the snapshot, default /usr/bin/python3
  std::optional<std::int64_t> source_date_epoch;
  // Extra Debian packages in the build step: compilers and -dev libraries for
  // a wheelhouse, python3-venv or extra tools for a venv.
  std::vector<std::string> build_packages;
  WheelhouseFields wheelhouse;  // kind == Wheelhouse
  VenvFields venv;              // kind == Venv
};

// Parses and validates recipe text; `path` names it in messages and anchors
// relative paths. Does not touch the file system. Throws one Input error
// listing every problem.
Recipe parse_recipe(std::string_view text, const std::string& path);

// Reads, parses and validates a recipe file, then checks that the files and
// directories it names exist (with the kind they must have); every problem at once.
Recipe load_recipe(const std::string& path);

// Problems with the paths a parsed recipe names (missing, wrong type, a link
// or a way out of the recipe's directory), one line each.
std::vector<std::string> check_recipe_paths(const Recipe& recipe);

// Canonical hash of the recipe's meaning: independent of key order, comments,
// formatting and where the recipe lives; defaults count as if written.
std::string recipe_hash(const Recipe& recipe);

const char* recipe_kind_name(RecipeKind kind);

}  // namespace cleanroom::python
