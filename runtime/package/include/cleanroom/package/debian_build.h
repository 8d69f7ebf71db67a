// `cleanroom build` of a Debian source package: the sbuild replacement.
// unpack -> prepare (the only step with network, cached as a layer) -> build
// (offline, unprivileged build user, fixed path) -> normalize -> record
// (.changes, .buildinfo) -> lintian -> publish into --out. Outputs appear only
// when every step succeeded; a failed build leaves its .build log and says
// which step failed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cleanroom/pipeline/build_job.h"

namespace cleanroom::build {

enum class BuildSelection {
  Full,       // -b: arch-dependent and arch-independent binaries
  ArchAll,    // -A: only Architecture: all
  ArchAny,    // -B: only architecture-dependent
};

// A Debian source build: JobOptions (build_job.h) plus sbuild's own.
struct DebianBuildOptions : JobOptions {
  std::string source;       // a .dsc (files beside it) or a tree with debian/
  BuildSelection selection = BuildSelection::Full;
  std::vector<std::string> extra_packages;      // local .debs installed in prepare
  std::vector<std::string> extra_repositories;  // "deb URL SUITE COMPONENTS" lines
  bool run_lintian = true;
  unsigned jobs = 0;        // parallel jobs inside the build (-j); 0: one per CPU
  bool shell_on_failure = false;
  // A binary-only changelog entry put on top of debian/changelog once the
  // source is unpacked, as a build daemon does for a binNMU (sbuild
  // --make-binNMU); audit takes it from the binNMU it rebuilds. Its version
  // and date then are the build's.
  std::string binnmu_entry;
  // Versions to install exactly over the build dependencies when the mirror
  // has them (audit, from a Debian .buildinfo's Installed-Build-Depends); each
  // one it has not is logged, with what was installed instead, before the build.
  std::vector<std::pair<std::string, std::string>> exact_versions;
};

// Never throws for a failed build (see result.ok); throws Error for bad input
// found before anything ran (no such source, no such snapshot).
BuildResult build_debian_source(const DebianBuildOptions& options);

}  // namespace cleanroom::build
