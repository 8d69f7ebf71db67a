// verify's one flow, for a Debian source and a recipe alike: sort the
// requested variations into active and skipped; build once unvaried and once
// varied (the varied build starts when the first has its dependency layer,
// beside it when the machine has room for two); take both results into the
// report; bisect. Only how one build is made differs, and the caller says it.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "cleanroom/verify/variation.h"
#include "cleanroom/verify/verify.h"

namespace cleanroom::build {

// Wall-clock seconds since start (steady clock).
double seconds_since(std::chrono::steady_clock::time_point start);

struct BuildRun {
  BuildResult result;
  std::string error;          // "step X failed: ...", or what was thrown
  std::exception_ptr thrown;  // bad input or environment, found before any step ran
  double seconds = 0;
};

// Runs build; an exception (for a thread, which must not let one escape) and
// a failed step both become data.
BuildRun timed_build(const std::function<BuildResult()>& build);

// Every requested variation the host (and also_unavailable, "" when it can)
// can vary goes to result.active, the others to result.skipped with why.
void sort_variations(const VariationSet& requested, const VariationHost& host,
                     const std::function<std::string(Variation)>& also_unavailable,
                     VerifyResult& result);

// Rethrows the first build's input error and a stop request; records both
// builds' facts; on a failed build sets result.error and failed_log and
// returns false, else compares the packages and returns true.
bool take_builds(const BuildRun& first, const BuildRun& varied, const repro::DiffOptions& diff,
                 VerifyResult& result);

// One build of the source under verify: with this variation (empty for the
// first build), publishing into out_dir, calling after_prepare once its
// dependency layer is ready. Throws for bad input, as the pipelines do.
using BuildOnce = std::function<BuildResult(const StepVariation& variation,
                                            const std::string& out_dir,
                                            const std::function<void()>& after_prepare)>;

// The whole of verify once the caller knows how to build: `slots` builds at a
// time, also_unavailable says which variations this kind of source cannot vary.
VerifyResult verify_builds(const VerifyOptions& options, const VariationHost& host,
                           unsigned slots,
                           const std::function<std::string(Variation)>& also_unavailable,
                           const BuildOnce& build_once);

// --bisect: one build per active variation alone (build_alone), `slots` at a
// time, each compared with the first build's packages, into result.bisect in
// the order of result.active. With one active variation the varied build was
// that build: its result is taken instead. Throws at a stop request.
void bisect_variations(unsigned slots, const std::vector<std::string>& first_artifacts,
                       const repro::DiffOptions& diff,
                       const std::function<BuildRun(Variation)>& build_alone,
                       VerifyResult& result);

}  // namespace cleanroom::build
