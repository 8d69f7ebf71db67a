// `cleanroom verify`: build a source twice, the second time under variations
// (build/variation.h), and compare every binary package byte for byte. The
// dependency layer is prepared once by the first build; the varied build
// starts as soon as it is ready, in parallel when the machine has the cores
// and memory. --bisect rebuilds with one variation at a time to name the
// one(s) that change the output.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cleanroom/package/debian_build.h"
#include "cleanroom/verify/variation.h"
#include "cleanroom/repro/diff.h"

namespace cleanroom::build {

// Version of the JSON report; bumped when fields change meaning.
constexpr int kVerifyFormatVersion = 1;

struct VerifyOptions {
  DebianBuildOptions build;  // the first build's options (source, snapshot, store, ...)
  VariationSet variations = VariationSet::all();
  bool bisect = false;
  bool allow_parallel = true;  // false: one build at a time whatever the machine has
  std::string keep_dir;        // "": outputs are dropped; else <dir>/first, <dir>/varied, ...
  repro::DiffOptions diff;
};

struct ArtifactComparison {
  std::string name;             // file name, e.g. hello_1.0_amd64.deb
  bool identical = false;
  std::string sha256_first, sha256_varied;  // "" when the file is missing on that side
  repro::DiffResult diff;       // empty when identical
};

struct BisectFinding {
  Variation variation;
  bool differs = false;
  std::vector<std::string> differing;  // artifact names
  std::string error;                   // the build failed under this variation alone
};

struct VerifyResult {
  std::string source, version;
  std::vector<Variation> active;                          // applied to the varied build
  std::vector<std::pair<Variation, std::string>> skipped;  // requested but not possible, why
  bool parallel = false;
  double first_seconds = 0, varied_seconds = 0, total_seconds = 0;
  std::vector<ArtifactComparison> artifacts;  // binary packages, by name
  std::vector<std::string> not_compared;      // records (.buildinfo, .changes, .build)
  std::string error;         // a build failed: which and why (then nothing is compared)
  std::string failed_log;    // that build's log
  bool bisected = false;
  std::vector<BisectFinding> bisect;
  bool reproducible() const;
};

// Throws Error for bad input found before anything ran; a failed build is
// reported in the result.
VerifyResult verify_source(const VerifyOptions& options);

std::string verify_result_to_json(const VerifyResult& result);
std::string format_verify_report(const VerifyResult& result);

}  // namespace cleanroom::build
