// `cleanroom build recipe.toml`: the two Python packaging pipelines of design §1.
// A wheelhouse recipe compiles every requirement of a release into normalized
// wheels in the sandbox (offline, fixed build path) and packs them with their
// lock file and simple index into a .deb; a venv recipe creates a virtualenv at
// its final install path from that wheelhouse only (no network, no compiler)
// and packs it with its /usr/bin links and computed Depends. Both end with
// .changes, .buildinfo and a .build log, like a Debian source build.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/package/debian_build.h"
#include "cleanroom/pipeline/step_variation.h"

namespace cleanroom::build {

struct RecipeBuildOptions {
  std::string store_path;  // "": store::default_store_path
  std::vector<std::string> recipes;  // files, or directories of recipes
  std::string snapshot;    // overrides the recipes' snapshot
  std::string arch;        // --arch: that architecture's snapshot (NAME-ARCH)
  std::string out_dir;     // "": each recipe's directory
  std::string wheelhouse;  // venv recipes: directory or .deb, over the recipe's
  bool offline = false;    // fail instead of using the network for prepare
  bool quiet = false;
  bool keep_build_dir = false;
  std::uint64_t timeout_seconds = 0;
  StepVariation variation;                        // verify's varied build
  std::vector<std::string> extra_build_packages;  // in the layer too (verify: faketime)
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
std::vector<DebianBuildResult> build_recipes(const RecipeBuildOptions& options);

}  // namespace cleanroom::build
