#include "verify_recipe.h"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <optional>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/build/python_build.h"
#include "staged_output.h"
#include "verify_compare.h"

namespace cleanroom::build {

namespace {

using Clock = std::chrono::steady_clock;

struct RecipeRun {
  DebianBuildResult result;
  std::string error;
  std::exception_ptr thrown;
  double seconds = 0;
};

// Input errors (a recipe that does not validate, a missing wheelhouse) are
// verify's own: kept in `thrown` for the caller to rethrow (a thread must not
// let them escape); a failed build becomes data.
RecipeRun run_recipe(const RecipeBuildOptions& o) {
  auto start = Clock::now();
  RecipeRun r;
  try {
    std::vector<DebianBuildResult> results = build_recipes(o);
    if (results.empty()) throw_failure(fmt::format("recipe '{}' built nothing", o.recipes.front()));
    r.result = results.back();
    if (!r.result.ok)
      r.error = fmt::format("step {} failed: {}", r.result.failed_step, r.result.error);
  } catch (const std::exception& e) {
    r.error = e.what();
    r.thrown = std::current_exception();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

void bisect(const RecipeBuildOptions& first, const VariationHost& host, const std::string& base,
            const std::vector<std::string>& first_artifacts, const repro::DiffOptions& diff,
            VerifyResult& result) {
  result.bisected = true;
  for (Variation v : result.active) {
    throw_if_stop_requested();
    RecipeBuildOptions o = first;
    o.out_dir = base + "/bisect-" + to_string(v);
    o.variation = recipe_step_variation(VariationSet::only(v), host);
    RecipeRun run = run_recipe(o);
    if (run.thrown) std::rethrow_exception(run.thrown);
    BisectFinding f{v, false, {}, run.error};
    if (run.error.empty()) {
      f.differing = differing_names(compare_packages(first_artifacts, run.result.artifacts, diff));
      f.differs = !f.differing.empty();
    }
    log::info(fmt::format("verify: bisect: {} alone: {}", to_string(v),
                          !f.error.empty() ? "build failed" : f.differs ? "differs" : "identical"));
    result.bisect.push_back(std::move(f));
  }
}

}  // namespace

VerifyResult verify_recipe(const VerifyOptions& options, const VariationHost& host,
                           unsigned slots) {
  auto start = Clock::now();
  if (!options.build.source.ends_with(".toml"))
    throw_input(fmt::format("'{}': verify takes one recipe .toml, not a directory of them",
                            options.build.source));
  VerifyResult result;
  for (Variation v : options.variations.list()) {
    std::string why = variation_unavailable(v, host);
    if (why.empty()) why = recipe_variation_unavailable(v);
    if (why.empty())
      result.active.push_back(v);
    else
      result.skipped.push_back({v, why});
  }
  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(options.keep_dir, "cleanroom-verify-", work);

  const DebianBuildOptions& given = options.build;
  RecipeBuildOptions first;
  first.store_path = given.store_path;
  first.recipes = {given.source};
  first.snapshot = given.snapshot;
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
  RecipeRun a, b;
  if (result.parallel) {
    std::thread first_thread([&] { a = run_recipe(first); });
    b = run_recipe(varied);
    first_thread.join();
  } else {
    a = run_recipe(first);
    if (a.error.empty()) b = run_recipe(varied);
  }
  if (a.thrown) std::rethrow_exception(a.thrown);
  throw_if_stop_requested();  // stopped builds prove nothing either way
  result.source = a.result.source;
  result.version = a.result.version;
  result.first_seconds = a.seconds;
  result.varied_seconds = b.seconds;
  if (!a.error.empty() || !b.error.empty()) {
    result.error = !a.error.empty() ? "the first build failed: " + a.error
                                    : "the varied build failed: " + b.error;
    result.failed_log = !a.error.empty() ? a.result.log_path : b.result.log_path;
    if (work) work->release();  // the log would vanish with it
    result.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }
  result.artifacts = compare_packages(a.result.artifacts, b.result.artifacts, options.diff);
  result.not_compared = records_of(a.result.artifacts);
  result.not_compared.push_back(file_name(a.result.log_path));
  if (!result.reproducible() && options.bisect && !result.active.empty())
    bisect(first, host, base, a.result.artifacts, options.diff, result);
  result.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace cleanroom::build
