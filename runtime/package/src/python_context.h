// What the wheelhouse and venv pipelines share: one recipe's build job, the
// probe of the snapshot's interpreter, the cached package layer and the
// .changes/.buildinfo records. The pipelines themselves live in wheelhouse_build.cpp and venv_build.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "build_outputs.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/pipeline/build_job.h"
#include "cleanroom/pipeline/steps.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

// Used when a recipe sets no source_date_epoch: the earliest time a wheel (a
// zip) can record, so every run agrees without reading a clock.
inline constexpr std::int64_t kDefaultRecipeEpoch = 315532800;

// A build job of one recipe: its recipe and the package facts derived from it.
struct RecipeContext : BuildJob {
  RecipeContext(const RecipeBuildOptions& o, const python::Recipe& r, store::Store s,
                const std::string& snapshot_name);

  const python::Recipe& recipe;
  std::int64_t epoch = kDefaultRecipeEpoch;
  std::string arch;              // the package's Architecture
  std::string version_no_epoch;  // for file names
  std::string recipe_hash;
  unsigned wheel_jobs = 1;   // sdists built at once
  bool wheel_cache = true;   // off for a varied build and for audit
  bool run_lintian = true;

  // BuildJob's step at SOURCE_DATE_EPOCH; varied once the layer is there (the
  // wrappers, libfaketime, come with it: steps before it only probe the
  // snapshot, and run unvaried).
  SandboxStep step() const;
  std::string stem() const;  // <name>_<version>_<arch>
};

// Facts about the snapshot's interpreter, read in the sandbox.
struct TargetFacts {
  std::string python_full_version;  // "3.11.2"
  std::string glibc_version;        // "2.36"
  unsigned python_major = 3, python_minor = 0;
};
TargetFacts probe_target(const RecipeContext& ctx);

// Installs `packages` (Debian relations) over the snapshot as a cached layer.
void prepare_packages(RecipeContext& ctx, StepRunner& steps,
                      const std::vector<std::string>& packages);

// Writes the .buildinfo and .changes for one .deb; returns their paths.
std::vector<std::string> write_recipe_records(const RecipeContext& ctx,
                                              const std::vector<CollectedPackage>& packages,
                                              const std::string& wheelhouse_hash);

}  // namespace cleanroom::build
