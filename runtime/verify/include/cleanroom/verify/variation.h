// What `cleanroom verify` varies between its two builds (docs/verify.md), named as
// reprotest names them so a `--vary` spec reads the same in both tools. A
// variation is a change to the second build's StepVariation (both pipelines
// take one): an environment variable, a build-step knob, or a wrapper around
// the build command (libfaketime, setarch, taskset, a readdir shim).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cleanroom/pipeline/step_variation.h"

namespace cleanroom::build {

enum class Variation {
  Environment,   // an extra environment variable
  BuildPath,     // another build directory
  UserGroup,     // another build uid and gid
  Home,          // another $HOME
  Kernel,        // uname reports 2.6 (setarch --uname-2.6)
  Aslr,          // address space randomization off (setarch -R)
  NumCpus,       // one CPU (taskset, parallel=1) instead of all
  Time,          // the clock years ahead (libfaketime)
  Timezone,      // TZ far from UTC
  Locales,       // LC_ALL/LANG=C, LANGUAGE set
  Umask,         // 002 instead of 022
  DomainHost,    // another host name
  FileOrdering,  // readdir(3) returns entries in reverse order
};

// Every variation, in the order reports list them.
const std::vector<Variation>& all_variations();
// reprotest's name: "environment", "build_path", "user_group", ...
const char* to_string(Variation v);
// What the second build gets, for reports: "TZ=GMT-14 (first: UTC)".
std::string describe(Variation v);

// An ordered set of variations.
class VariationSet {
 public:
  static VariationSet all();
  static VariationSet none();
  static VariationSet only(Variation v);
  bool has(Variation v) const { return (bits_ >> static_cast<unsigned>(v)) & 1u; }
  void set(Variation v, bool on);
  bool empty() const { return bits_ == 0; }
  std::vector<Variation> list() const;  // in all_variations() order
  // "time,timezone" ("" for none).
  std::string to_string() const;
  bool operator==(const VariationSet&) const = default;

 private:
  std::uint32_t bits_ = 0;
};

// reprotest-style specs, applied in order to "every variation on":
// "-time,+all", "-all,+time", "time" (same as +time), "@none"... Items are
// separated by commas; "all" and "none" name every variation. Throws
// Error(Input) naming the unknown item and listing the known names.
VariationSet parse_variation_specs(const std::vector<std::string>& specs);

// Facts about the machine that decide whether a variation can vary anything.
struct VariationHost {
  unsigned cpus = 1;
  std::uint32_t id_count = 1;  // ids the store's map has (uid/gid needs more than 1001)
};

// Why a variation cannot vary anything on this host ("" when it can).
std::string variation_unavailable(Variation v, const VariationHost& host);

// Packages every build of one verify installs, so that all of them share one
// dependency layer and record the same Installed-Build-Depends.
std::vector<std::string> variation_build_packages(const VariationSet& set);

// What the varied build changes: every variation in set that the host can
// vary. The first build runs with an empty StepVariation.
StepVariation apply_variations(const VariationSet& set, const VariationHost& host);

// Why a variation cannot apply to a recipe's build ("" when it can): a recipe
// builds at fixed paths as the sandbox's root, and a venv's build root has no
// compiler for the readdir shim.
std::string recipe_variation_unavailable(Variation v);

}  // namespace cleanroom::build
