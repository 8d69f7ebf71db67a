// What verify does the same for a Debian source and a recipe: sorting the
// requested variations into active and skipped, timing a build while turning
// its failure into data, and taking the two builds' results into the report.
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
  DebianBuildResult result;
  std::string error;          // "step X failed: ...", or what was thrown
  std::exception_ptr thrown;  // bad input or environment, found before any step ran
  double seconds = 0;
};

// Runs build; an exception (for a thread, which must not let one escape) and
// a failed step both become data.
BuildRun timed_build(const std::function<DebianBuildResult()>& build);

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

// --bisect: one build per active variation alone (build_alone), `slots` at a
// time, each compared with the first build's packages, into result.bisect in
// the order of result.active. With one active variation the varied build was
// that build: its result is taken instead. Throws at a stop request.
void bisect_variations(unsigned slots, const std::vector<std::string>& first_artifacts,
                       const repro::DiffOptions& diff,
                       const std::function<BuildRun(Variation)>& build_alone,
                       VerifyResult& result);

}  // namespace cleanroom::build
