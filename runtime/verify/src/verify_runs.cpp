#include "verify_runs.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "cleanroom/base/log.h"
#include "cleanroom/base/stop_request.h"
#include "verify_compare.h"

namespace cleanroom::build {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BuildRun timed_build(const std::function<DebianBuildResult()>& build) {
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

}  // namespace cleanroom::build
