#include "verify_recipe.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/pipeline/staged_output.h"
#include "verify_compare.h"
#include "verify_runs.h"

namespace cleanroom::build {

namespace {

using Clock = std::chrono::steady_clock;

// Input errors (a recipe that does not validate, a missing wheelhouse) land in
// `thrown`, for the caller to rethrow.
BuildRun run_recipe(const RecipeBuildOptions& o) {
  return timed_build([&] {
    std::vector<DebianBuildResult> results = build_recipes(o);
    if (results.empty()) throw_failure(fmt::format("recipe '{}' built nothing", o.recipes.front()));
    return results.back();
  });
}

void bisect(const RecipeBuildOptions& first, const VariationHost& host, const std::string& base,
            unsigned slots, const std::vector<std::string>& first_artifacts,
            const repro::DiffOptions& diff, VerifyResult& result) {
  bisect_variations(slots, first_artifacts, diff, [&](Variation v) {
    RecipeBuildOptions o = first;
    o.out_dir = base + "/bisect-" + to_string(v);
    o.variation = recipe_step_variation(VariationSet::only(v), host);
    return run_recipe(o);
  }, result);
}

}  // namespace

VerifyResult verify_recipe(const VerifyOptions& options, const VariationHost& host,
                           unsigned slots) {
  auto start = Clock::now();
  if (!options.build.source.ends_with(".toml"))
    throw_input(fmt::format("'{}': verify takes one recipe .toml, not a directory of them",
                            options.build.source));
  VerifyResult result;
  sort_variations(options.variations, host, recipe_variation_unavailable, result);
  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(options.keep_dir, "cleanroom-verify-", work);

  const DebianBuildOptions& given = options.build;
  RecipeBuildOptions first;
  first.store_path = given.store_path;
  first.recipes = {given.source};
  first.snapshot = given.snapshot;
  first.arch = given.arch;
  first.wheelhouse = given.wheelhouse;
  first.offline = given.offline;
  first.quiet = true;
  first.timeout_seconds = given.timeout_seconds;
  first.extra_build_packages = variation_build_packages(options.variations);
  first.out_dir = base + "/first";
  RecipeBuildOptions varied = first;
  varied.out_dir = base + "/varied";
  VariationSet applied;
  for (Variation v : result.active) applied.set(v, true);
  varied.variation = recipe_step_variation(applied, host);

  // Both at once: a layer neither finds is prepared by one and waited for by
  // the other (the store publishes a layer once, under its lock).
  result.parallel = slots > 1;
  BuildRun a, b;
  if (result.parallel) {
    std::thread first_thread([&] { a = run_recipe(first); });
    b = run_recipe(varied);
    first_thread.join();
  } else {
    a = run_recipe(first);
    if (a.error.empty()) b = run_recipe(varied);
  }
  if (!take_builds(a, b, options.diff, result)) {
    if (work) work->release();  // the log would vanish with it
    result.total_seconds = seconds_since(start);
    return result;
  }
  if (!result.reproducible() && options.bisect && !result.active.empty())
    bisect(first, host, base, slots, a.result.artifacts, options.diff, result);
  result.total_seconds = seconds_since(start);
  return result;
}

}  // namespace cleanroom::build
