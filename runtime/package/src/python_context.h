// What the wheelhouse and venv pipelines share: one recipe's build context
// (store, snapshot, ids, work directory, log), the probe of the snapshot's
// interpreter, the cached package layer, the .changes/.buildinfo records and
// publishing. The pipelines themselves live in wheelhouse_build.cpp and venv_build.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "build_outputs.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/pipeline/steps.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

inline constexpr const char* kRecipeLogInside = "/cleanroom/log/build.log";

// Used when a recipe sets no source_date_epoch: the earliest time a wheel (a
// zip) can record, so every run agrees without reading a clock.
inline constexpr std::int64_t kDefaultRecipeEpoch = 315532800;

struct RecipeContext {
  RecipeContext(const RecipeBuildOptions& o, const python::Recipe& r, store::Store s,
                const std::string& snapshot_name);

  const RecipeBuildOptions& options;
  const python::Recipe& recipe;
  store::Store store;
  store::SnapshotInfo snapshot;
  store::IdMap ids;
  TempDir work;
  std::string log_dir, log_path, staging_dir, out_dir;
  std::int64_t epoch = kDefaultRecipeEpoch;
  std::string arch;              // the package's Architecture
  std::string version_no_epoch;  // for file names
  std::string recipe_hash;
  store::LayerInfo layer;
  bool layer_reused = false;

  void log(const std::string& line) const;
  // The sandbox's root is an unprivileged host id: what it must write or read
  // from the host is handed to it.
  void own(const std::string& path) const;
  void own_tree(const std::string& path) const;
  // A fresh directory in the work dir that the sandbox's root owns.
  std::string sandbox_dir(const std::string& name) const;
  // Over the prepared layer and the snapshot, the log bound, offline.
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

// Copies a host file or tree into the work dir, owned by the sandbox's root.
void stage_copy(const RecipeContext& ctx, const std::string& from, const std::string& to);

// Writes the .buildinfo and .changes for one .deb; returns their paths.
std::vector<std::string> write_recipe_records(const RecipeContext& ctx,
                                              const CollectedPackage& package,
                                              const std::string& wheelhouse_hash);

// Copies outputs into out_dir, the log last, and fills the result.
void publish_recipe_outputs(const RecipeContext& ctx, const std::vector<std::string>& files,
                            DebianBuildResult& result);
std::string publish_recipe_log(const RecipeContext& ctx);

std::string file_name_of(const std::string& path);

}  // namespace cleanroom::build
