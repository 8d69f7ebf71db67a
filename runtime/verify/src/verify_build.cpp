// verify's entry point: how many builds the machine takes at once, and how one
// build of a Debian source or of a recipe is made; verify_runs.cpp does the rest.
#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/package/debian_build.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/store/store.h"
#include "cleanroom/verify/verify.h"
#include "verify_runs.h"

namespace cleanroom::build {

namespace {

// A second build needs a core of its own and room for another compiler run.
constexpr std::uint64_t kMemoryPerBuild = 1ull << 30;

std::uint64_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

unsigned cpu_count() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

unsigned parallel_slots(bool allowed) {
  if (!allowed) return 1;
  std::uint64_t by_memory = available_memory() / kMemoryPerBuild;
  std::uint64_t slots = std::min<std::uint64_t>(cpu_count(), by_memory);
  return slots < 2 ? 1 : static_cast<unsigned>(slots);
}

bool any_difference(const std::vector<ArtifactComparison>& list) {
  for (const auto& a : list)
    if (!a.identical) return true;
  return false;
}

// What every build of one verify shares: quiet, and the packages any
// variation needs installed, so that all of them use one dependency layer.
void set_common(const VerifyOptions& options, JobOptions& o) {
  o.quiet = true;
  for (const auto& p : variation_build_packages(options.variations))
    o.extra_build_packages.push_back(p);
}

// One build's options: the first build's, with what this build changes.
template <class Options>
Options one_build(const Options& first, const StepVariation& v, const std::string& out_dir,
                  const std::function<void()>& after_prepare) {
  Options o = first;
  o.variation = v;
  o.out_dir = out_dir;
  o.after_prepare = after_prepare;
  return o;
}

BuildOnce debian_builds(const VerifyOptions& options) {
  DebianBuildOptions first = options.build;
  set_common(options, first);
  return [first](const StepVariation& v, const std::string& out, const std::function<void()>& hook) {
    return build_debian_source(one_build(first, v, out, hook));
  };
}

BuildOnce recipe_builds(const VerifyOptions& options) {
  if (!options.build.source.ends_with(".toml"))
    throw_input(fmt::format("'{}': verify takes one recipe .toml, not a directory of them",
                            options.build.source));
  RecipeBuildOptions first;
  static_cast<JobOptions&>(first) = options.build;
  first.recipes = {options.build.source};
  first.run_lintian = options.build.run_lintian;
  set_common(options, first);
  return [first](const StepVariation& v, const std::string& out, const std::function<void()>& hook) {
    RecipeBuildOptions o = one_build(first, v, out, hook);
    std::vector<BuildResult> results = build_recipes(o);
    if (results.empty()) throw_failure(fmt::format("recipe '{}' built nothing", o.recipes.front()));
    return results.back();
  };
}

}  // namespace

bool VerifyResult::reproducible() const {
  return error.empty() && !artifacts.empty() && !any_difference(artifacts);
}

VerifyResult verify_source(const VerifyOptions& options) {
  store::Store store(store::default_store_path(options.build.store_path));
  VariationHost host{cpu_count(), store.id_map().count};
  unsigned slots = parallel_slots(options.allow_parallel);
  if (is_recipe_source(options.build.source))
    return verify_builds(options, host, slots, recipe_variation_unavailable,
                         recipe_builds(options));
  return verify_builds(options, host, slots, [](Variation) { return std::string(); },
                       debian_builds(options));
}

}  // namespace cleanroom::build
