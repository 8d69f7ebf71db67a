// Entry point of recipe builds: validates every recipe before any step runs,
// orders them (a release's wheelhouse before the venvs installed from it) and
// runs each kind's pipeline with the Debian build's step table and log.
#include "cleanroom/base/file_system.h"
#include "cleanroom/package/python_build.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/distribution.h"
#include "cleanroom/python/recipe.h"
#include "python_context.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/staged_output.h"
#include "venv_build.h"
#include "wheelhouse_build.h"

namespace cleanroom::build {

namespace {

bool is_toml(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
}

std::string wheelhouse_for(const RecipeBuildOptions& o, const python::Recipe& r,
                           const std::string& built_before) {
  if (!o.wheelhouse.empty()) return o.wheelhouse;
  if (!r.venv.wheelhouse.empty()) return r.venv.wheelhouse.resolved;
  if (!built_before.empty()) return built_before;
  throw_input(fmt::format("venv recipe '{}' names no wheelhouse; add wheelhouse = \"DIR|DEB\" or "
                          "give --wheelhouse",
                          r.file));
}

BuildResult build_one(const RecipeBuildOptions& o, const python::Recipe& recipe,
                      const std::string& wheelhouse) {
  store::Store store(store::default_store_path(o.store_path));
  std::string snapshot_name =
      snapshot_for_arch(store, o.snapshot.empty() ? recipe.snapshot : o.snapshot, o.arch);
  RecipeContext ctx(o, recipe, store, snapshot_name);
  ctx.recipe_hash = python::recipe_hash(recipe);
  ctx.set_out_dir(o.out_dir.empty() ? recipe.dir : o.out_dir);
  ctx.log(fmt::format("cleanroom: building {} recipe '{}' ({} {}, sha256 {}) on snapshot {} ({})",
                      python::recipe_kind_name(recipe.kind), recipe.file, recipe.name,
                      recipe.version, ctx.recipe_hash, snapshot_name, ctx.snapshot.id));

  BuildResult result;
  result.source = recipe.name;
  result.version = recipe.version;
  result.arch = ctx.arch;
  return ctx.run(
      result, [&] { return ctx.stem() + ".build"; }, ctx.stem(),
      [&](StepRunner& steps, BuildResult& r) {
        std::vector<std::string> outputs = recipe.kind == python::RecipeKind::Wheelhouse
                                               ? run_wheelhouse_steps(ctx, steps)
                                               : run_venv_steps(ctx, steps, wheelhouse);
        steps.run("publish", [&] { ctx.publish(outputs, r); });
      });
}

}  // namespace

bool is_recipe_source(const std::string& source) {
  if (is_toml(source)) return true;
  struct stat st;
  if (::stat(source.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  if (path_exists(source + "/debian")) return false;
  return !expand_recipe_sources({source}).empty();
}

std::vector<std::string> expand_recipe_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> out;
  for (const auto& source : sources) {
    struct stat st;
    if (is_toml(source) || ::stat(source.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      out.push_back(source);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& name : python::list_directory(source)) {
      std::string path = source + "/" + name;
      if (is_toml(name) && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        found.push_back(path);
      else if (path_exists(path + "/recipe.toml"))
        found.push_back(path + "/recipe.toml");
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::vector<BuildResult> build_recipes(const RecipeBuildOptions& o) {
  python::Diagnostics diag;
  std::vector<python::Recipe> wheelhouses, venvs;
  std::vector<std::string> paths = expand_recipe_sources(o.recipes);
  if (paths.empty()) throw_input("no recipes given; name recipe .toml files or a directory of them");
  for (const auto& path : paths) {
    try {
      python::Recipe r = python::load_recipe(path);
      (r.kind == python::RecipeKind::Wheelhouse ? wheelhouses : venvs).push_back(std::move(r));
    } catch (const Error& e) {
      diag.add_lines(e.what());
    }
  }
  for (const auto& r : venvs)
    if (o.wheelhouse.empty() && r.venv.wheelhouse.empty() && wheelhouses.empty())
      diag.add(fmt::format("{}: a venv recipe needs a wheelhouse; add wheelhouse = \"DIR|DEB\" "
                           "or give --wheelhouse",
                           r.file));
  diag.throw_if_any(ErrorKind::Input);

  std::vector<BuildResult> results;
  std::string built_wheelhouse;
  for (const auto& r : wheelhouses) {
    results.push_back(build_one(o, r, ""));
    if (!results.back().ok) return results;
    for (const auto& a : results.back().artifacts)
      if (a.size() > 4 && a.compare(a.size() - 4, 4, ".deb") == 0) built_wheelhouse = a;
  }
  for (const auto& r : venvs) {
    results.push_back(build_one(o, r, wheelhouse_for(o, r, built_wheelhouse)));
    if (!results.back().ok) return results;
  }
  return results;
}

}  // namespace cleanroom::build
