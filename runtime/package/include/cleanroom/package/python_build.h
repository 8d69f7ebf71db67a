// `cleanroom build recipe.toml`: the two Python packaging pipelines of docs/python.md.
// A wheelhouse recipe compiles every requirement of a release into normalized
// wheels in the sandbox (offline, fixed build path) and packs them with their
// lock file and simple index into a .deb; a venv recipe creates a virtualenv at
// its final install path from that wheelhouse only (no network, no compiler)
// and packs it with its /usr/bin links and computed Depends. Both end with
// .changes, .buildinfo and a .build log, like a Debian source build.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/pipeline/build_job.h"

namespace cleanroom::build {

// A recipe build: JobOptions (build_job.h) and the recipes. --wheelhouse
// serves venv recipes over the recipe's own; --dist overrides the recipes'
// snapshot; out_dir "" is each recipe's directory.
struct RecipeBuildOptions : JobOptions {
  std::vector<std::string> recipes;  // files, or directories of recipes
  unsigned wheel_jobs = 0;           // sdists a wheelhouse builds at once (-j); 0: one per CPU
  // Reuse wheels built before from the same inputs (the store's wheels/);
  // audit turns it off, so that its rebuild builds every wheel again.
  bool wheel_cache = true;
  bool run_lintian = true;  // when the build root has lintian (--no-run-lintian)
};

// True for a SOURCE that names a recipe rather than a Debian source: a .toml
// file, or a directory without debian/ that holds recipes (see below).
bool is_recipe_source(const std::string& source);

// Recipe files for the sources given: a .toml as it is; a directory as its
// *.toml files and */recipe.toml (the layout of recipes/), sorted.
std::vector<std::string> expand_recipe_sources(const std::vector<std::string>& sources);

// Builds the recipes in order, wheelhouses first; a venv recipe without a
// wheelhouse of its own takes the wheelhouse .deb built just before it. Stops
// at the first failed build. Throws Error(Input) for recipes that do not
// validate (every problem of every recipe at once), before anything runs.
std::vector<BuildResult> build_recipes(const RecipeBuildOptions& options);

}  // namespace cleanroom::build
