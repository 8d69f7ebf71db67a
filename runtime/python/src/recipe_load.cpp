#include <sys/stat.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_requirements.h"
#include "recipe_parse.h"

namespace cleanroom::python {
namespace {

enum class Want { File, Directory, FileOrDirectory };

void check(std::vector<std::string>& out, const Recipe& r, const RecipePath& p,
           const std::string& key, Want want) {
  if (p.empty()) return;
  struct stat st {};
  std::string where = location(r.file, p.line) + ": " + key + " \"" + p.written + "\"";
  if (::stat(p.resolved.c_str(), &st) != 0) {
    out.push_back(where + " does not exist ('" + p.resolved + "'); create it or fix the path");
    return;
  }
  if (want == Want::File && !S_ISREG(st.st_mode)) {
    out.push_back(where + " is not a regular file; name a file");
  } else if (want == Want::Directory && !S_ISDIR(st.st_mode)) {
    out.push_back(where + " is not a directory; name a directory");
  }
}

}  // namespace

std::vector<std::string> check_recipe_paths(const Recipe& r) {
  std::vector<std::string> out;
  if (r.kind == RecipeKind::Wheelhouse) {
    check(out, r, r.wheelhouse.sources, "sources", Want::Directory);
    check(out, r, r.wheelhouse.requirements.file, "requirements", Want::File);
    check(out, r, r.wheelhouse.constraints, "constraints", Want::File);
    return out;
  }
  const VenvFields& v = r.venv;
  check(out, r, v.wheelhouse, "wheelhouse", v.wheelhouse_is_deb ? Want::File : Want::Directory);
  check(out, r, v.requirements.file, "requirements", Want::File);
  check(out, r, v.constraints, "constraints", Want::File);
  for (const auto& [name, p] : v.maintainer_scripts) {
    check(out, r, p, "maintainer_scripts." + name, Want::File);
  }
  for (const auto& unit : v.systemd_units) check(out, r, unit, "systemd_units", Want::File);
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
  }
  diag.throw_if_any();
  return parsed.recipe;
}

}  // namespace cleanroom::python
