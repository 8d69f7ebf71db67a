#include "verify_runs.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "cleanroom/base/log.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/pipeline/staged_output.h"
#include "verify_compare.h"

namespace cleanroom::build {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BuildRun timed_build(const std::function<BuildResult()>& build) {
  auto start = std::chrono::steady_clock::now();
  BuildRun r;
  try {
    r.result = build();
    if (!r.result.ok)
      r.error = fmt::format("step {} failed: {}", r.result.failed_step, r.result.error);
  } catch (const std::exception& e) {
    r.error = e.what();
    r.thrown = std::current_exception();
  }
  r.seconds = seconds_since(start);
  return r;
}

void sort_variations(const VariationSet& requested, const VariationHost& host,
                     const std::function<std::string(Variation)>& also_unavailable,
                     VerifyResult& result) {
  for (Variation v : requested.list()) {
    std::string why = variation_unavailable(v, host);
    if (why.empty()) why = also_unavailable(v);
    if (why.empty())
      result.active.push_back(v);
    else
      result.skipped.push_back({v, why});
  }
}

bool take_builds(const BuildRun& a, const BuildRun& b, const repro::DiffOptions& diff,
                 VerifyResult& result) {
  // The first build's input errors are verify's own: they keep their exit code.
  if (a.thrown) std::rethrow_exception(a.thrown);
  // Stopped builds prove nothing either way, and no bisect may start.
  throw_if_stop_requested();
  result.source = a.result.source;
  result.version = a.result.version;
  result.first_seconds = a.seconds;
  result.varied_seconds = b.seconds;
  if (!a.error.empty()) {
    result.error = "the first build failed: " + a.error;
    result.failed_log = a.result.log_path;
    return false;
  }
  if (!b.error.empty()) {
    result.error = "the varied build failed: " + b.error;
    result.failed_log = b.result.log_path;
    return false;
  }
  result.artifacts = compare_packages(a.result.artifacts, b.result.artifacts, diff);
  result.not_compared = records_of(a.result.artifacts);
  result.not_compared.push_back(file_name(a.result.log_path));
  return true;
}

void bisect_variations(unsigned slots, const std::vector<std::string>& first_artifacts,
                       const repro::DiffOptions& diff,
                       const std::function<BuildRun(Variation)>& build_alone,
                       VerifyResult& result) {
  result.bisected = true;
  result.bisect.resize(result.active.size());
  if (result.active.size() == 1) {
    result.bisect[0] = {result.active[0], result.error.empty(), differing_names(result.artifacts),
                        result.error};
    return;
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < result.active.size(); i = next++) {
      if (stop_request() != 0) return;
      Variation v = result.active[i];
      BuildRun run = build_alone(v);
      BisectFinding f{v, false, {}, run.error};
      if (run.error.empty()) {
        auto cmp = compare_packages(first_artifacts, run.result.artifacts, diff);
        f.differing = differing_names(cmp);
        f.differs = !f.differing.empty();
      }
      log::info(fmt::format("verify: bisect: {} alone: {}", to_string(v),
                            !f.error.empty() ? "build failed" : f.differs ? "differs" : "identical"));
      result.bisect[i] = std::move(f);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < slots; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  throw_if_stop_requested();
}

namespace {

struct BuildPair {
  BuildRun first, varied;
};

// The varied build starts once the first has its dependency layer (prepared
// or found), so the two never race to prepare the same layer; with one slot
// they run one after the other.
BuildPair run_pair(bool parallel, const StepVariation& varied, const std::string& base,
                   const BuildOnce& build_once) {
  BuildPair p;
  auto first = [&](const std::function<void()>& ready) {
    return timed_build([&] { return build_once({}, base + "/first", ready); });
  };
  auto second = [&] {
    return timed_build([&] { return build_once(varied, base + "/varied", nullptr); });
  };
  if (!parallel) {
    p.first = first(nullptr);
    if (p.first.error.empty()) p.varied = second();
    return p;
  }
  std::promise<void> ready;
  std::once_flag once;
  std::atomic<bool> prepared{false};
  auto signal = [&] { std::call_once(once, [&] { ready.set_value(); }); };
  std::thread first_thread([&] {
    p.first = first([&] {
      prepared = true;
      signal();
    });
    signal();
  });
  ready.get_future().wait();
  if (prepared) {
    log::info("verify: dependency layer ready; starting the varied build beside the first");
    p.varied = second();
  }
  first_thread.join();
  return p;
}

}  // namespace

VerifyResult verify_builds(const VerifyOptions& options, const VariationHost& host,
                           unsigned slots,
                           const std::function<std::string(Variation)>& also_unavailable,
                           const BuildOnce& build_once) {
  auto start = std::chrono::steady_clock::now();
  VerifyResult result;
  sort_variations(options.variations, host, also_unavailable, result);
  result.parallel = slots > 1;
  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(options.keep_dir, "cleanroom-verify-", work);
  VariationSet applied;
  for (Variation v : result.active) applied.set(v, true);

  BuildPair pair = run_pair(result.parallel, apply_variations(applied, host), base, build_once);
  auto bisect = [&] {
    bisect_variations(slots, pair.first.result.artifacts, options.diff, [&](Variation v) {
      StepVariation alone = apply_variations(VariationSet::only(v), host);
      return timed_build(
          [&] { return build_once(alone, base + "/bisect-" + to_string(v), nullptr); });
    }, result);
  };
  bool compared = take_builds(pair.first, pair.varied, options.diff, result);
  // Which variation breaks the build is worth knowing too.
  bool worth_bisecting = compared ? !result.reproducible() : pair.first.error.empty();
  if (worth_bisecting && options.bisect && !result.active.empty()) bisect();
  // A failed build's log would vanish with the work dir: keep it for the user to read.
  if (!compared && work) work->release();
  result.total_seconds = seconds_since(start);
  return result;
}

}  // namespace cleanroom::build
