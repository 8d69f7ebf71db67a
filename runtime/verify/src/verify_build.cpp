// verify's orchestration: the first build prepares the dependency layer and
// signals; the varied build starts then, beside it when the machine has room
// for two, so the pair costs little more than one build. Bisect runs the
// one-variation builds the same way, as many at once as the machine allows.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <optional>
#include <future>
#include <mutex>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/verify/verify.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/staged_output.h"
#include "verify_compare.h"
#include "verify_recipe.h"
#include "verify_runs.h"

namespace cleanroom::build {

namespace {

using Clock = std::chrono::steady_clock;

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

BuildRun run_build(const DebianBuildOptions& o) {
  return timed_build([&] { return build_debian_source(o); });
}

bool any_difference(const std::vector<ArtifactComparison>& list) {
  for (const auto& a : list)
    if (!a.identical) return true;
  return false;
}

void bisect(const VerifyOptions& options, const DebianBuildOptions& first,
            const VariationHost& host, const std::string& base, unsigned slots,
            const std::vector<std::string>& first_artifacts, VerifyResult& result) {
  bisect_variations(slots, first_artifacts, options.diff, [&](Variation v) {
    DebianBuildOptions o = first;
    o.after_prepare = nullptr;
    o.out_dir = base + "/bisect-" + to_string(v);
    apply_variations(VariationSet::only(v), host, o);
    return run_build(o);
  }, result);
}

}  // namespace

bool VerifyResult::reproducible() const {
  return error.empty() && !artifacts.empty() && !any_difference(artifacts);
}

VerifyResult verify_source(const VerifyOptions& options) {
  auto start = Clock::now();
  VerifyResult result;
  store::Store store(store::default_store_path(options.build.store_path));
  VariationHost host{cpu_count(), store.id_map().count};
  if (is_recipe_source(options.build.source))
    return verify_recipe(options, host, parallel_slots(options.allow_parallel));
  sort_variations(options.variations, host, [](Variation) { return std::string(); }, result);
  unsigned slots = parallel_slots(options.allow_parallel);
  result.parallel = slots > 1;

  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(options.keep_dir, "cleanroom-verify-", work);

  DebianBuildOptions first = options.build;
  first.quiet = true;
  for (const auto& p : variation_build_packages(options.variations))
    first.extra_build_packages.push_back(p);
  first.out_dir = base + "/first";
  DebianBuildOptions varied = first;
  varied.out_dir = base + "/varied";
  VariationSet applied;
  for (Variation v : result.active) applied.set(v, true);
  apply_variations(applied, host, varied);

  BuildRun a, b;
  if (result.parallel) {
    std::promise<void> ready;
    std::once_flag once;
    std::atomic<bool> prepared{false};
    auto signal = [&] { std::call_once(once, [&] { ready.set_value(); }); };
    first.after_prepare = [&] {
      prepared = true;
      signal();
    };
    std::thread first_thread([&] {
      a = run_build(first);
      signal();
    });
    ready.get_future().wait();
    if (prepared) {
      log::info("verify: dependency layer ready; starting the varied build beside the first");
      b = run_build(varied);
    }
    first_thread.join();
  } else {
    a = run_build(first);
    if (a.error.empty()) b = run_build(varied);
  }
  if (!take_builds(a, b, options.diff, result)) {
    // Which variation breaks the build is worth knowing too.
    if (a.error.empty() && options.bisect && !result.active.empty())
      bisect(options, first, host, base, slots, a.result.artifacts, result);
    // The log would vanish with the work dir: keep the dir for the user to read.
    if (work) work->release();
    result.total_seconds = seconds_since(start);
    return result;
  }
  if (!result.reproducible() && options.bisect && !result.active.empty())
    bisect(options, first, host, base, slots, a.result.artifacts, result);
  result.total_seconds = seconds_since(start);
  return result;
}

}  // namespace cleanroom::build
