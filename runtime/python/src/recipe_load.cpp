#include <sys/stat.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/version.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_files.h"
#include "cleanroom/python/recipe_requirements.h"
#include "recipe_parse.h"

namespace cleanroom::python {
namespace {

void check(std::vector<std::string>& out, const Recipe& r, const RecipePath& p,
           const std::string& key, RecipeFileKind kind) {
  if (p.empty() || !is_plain_relative_path(p.relative)) return;  // the parser said why
  if (auto problem = recipe_path_problem(r, p, kind))
    out.push_back(location(r.file, p.line) + ": " + key + " \"" + excerpt(p.written, kPathExcerptMax) + "\" " +
                  *problem);
}

// The changelog shipped instead of the generated one must be of this package
// and version: dpkg and apt show its top entry as the package's history.
void check_changelog(const Recipe& r, Diagnostics& diag) {
  if (r.changelog.empty()) return;
  std::string where = location(r.file, r.changelog.line) + ": changelog '" +
                      excerpt(r.changelog.written, kPathExcerptMax) + "'";
  try {
    formats::ChangelogEntry top =
        formats::parse_changelog_top(read_recipe_file(r, r.changelog), r.changelog.written);
    if (top.version != formats::parse_version(r.version))
      diag.add(where + " begins with version " + top.version.to_string() +
               ", but the recipe's version is " + r.version + "; add an entry for " + r.version +
               " at its top");
    else if (top.source != r.name)
      diag.add(where + " is the changelog of '" + top.source + "', not of '" + r.name +
               "'; name the package as the recipe does");
  } catch (const Error& e) {
    diag.add(where + ": " + e.what());
  }
}

}  // namespace

std::vector<std::string> check_recipe_paths(const Recipe& r) {
  std::vector<std::string> out;
  check(out, r, r.changelog, "changelog", RecipeFileKind::File);
  if (r.kind == RecipeKind::Wheelhouse) {
    check(out, r, r.wheelhouse.sources, "sources", RecipeFileKind::Directory);
    check(out, r, r.wheelhouse.requirements.file, "requirements", RecipeFileKind::File);
    check(out, r, r.wheelhouse.constraints, "constraints", RecipeFileKind::File);
    return out;
  }
  const VenvFields& v = r.venv;
  check(out, r, v.wheelhouse, "wheelhouse",
        v.wheelhouse_is_deb ? RecipeFileKind::File : RecipeFileKind::Directory);
  check(out, r, v.requirements.file, "requirements", RecipeFileKind::File);
  check(out, r, v.constraints, "constraints", RecipeFileKind::File);
  for (const auto& [name, p] : v.maintainer_scripts) {
    check(out, r, p, "maintainer_scripts." + name, RecipeFileKind::File);
  }
  for (const auto& unit : v.systemd_units)
    check(out, r, unit, "systemd_units", RecipeFileKind::File);
  return out;
}

Recipe load_recipe(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw_input("recipe '" + path + "' is not a readable file; check the path");
  }
  std::string text = with_context("recipe '" + path + "'", [&] { return read_file(path); });
  ParsedRecipe parsed(path);
  Diagnostics diag;
  parse_recipe_into(parsed, text, diag);
  auto path_problems = check_recipe_paths(parsed.recipe);
  for (const auto& line : path_problems) diag.add(line);
  // The requirement files are part of the recipe: their mistakes are reported
  // with the recipe's, once they exist to be read.
  if (path_problems.empty()) {
    try {
      read_recipe_requirements(parsed.recipe);
    } catch (const Error& e) {
      diag.add_lines(e.what());
    }
    check_changelog(parsed.recipe, diag);
  }
  diag.throw_if_any();
  return parsed.recipe;
}

}  // namespace cleanroom::python
