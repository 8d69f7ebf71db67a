// `cleanroom build` of a Debian source package: the sbuild replacement.
// unpack -> prepare (the only step with network, cached as a layer) -> build
// (offline, unprivileged build user, fixed path) -> normalize -> record
// (.changes, .buildinfo) -> lintian -> publish into --out. Outputs appear only
// when every step succeeded; a failed build leaves its .build log and says
// which step failed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/pipeline/steps.h"

namespace cleanroom::build {

enum class BuildSelection {
  Full,       // -b: arch-dependent and arch-independent binaries
  ArchAll,    // -A: only Architecture: all
  ArchAny,    // -B: only architecture-dependent
};

struct DebianBuildOptions {
  std::string store_path;   // "": store::default_store_path
  std::string source;       // a .dsc (files beside it) or a tree with debian/
  std::string snapshot;     // -d/--dist; "": the changelog's distribution, else bookworm
  std::string arch;         // --arch: build in that architecture's snapshot (NAME-ARCH)
  std::string out_dir;      // "": the source's parent directory, like sbuild
  BuildSelection selection = BuildSelection::Full;
  std::vector<std::string> extra_packages;      // local .debs installed in prepare
  std::vector<std::string> extra_repositories;  // "deb URL SUITE COMPONENTS" lines
  std::string wheelhouse;   // directory mounted read-only for pip, "" for none
  bool offline = false;     // fail instead of using the network for prepare
  bool run_lintian = true;
  unsigned jobs = 0;        // 0: one per CPU
  bool keep_build_dir = false;
  bool shell_on_failure = false;
  bool quiet = false;       // do not echo the build's output (the log has it)
  std::uint32_t build_uid = 1000, build_gid = 1000;
  std::string hostname = "cleanroom";
  std::string domainname;  // "" : none
  std::vector<std::string> extra_env;  // "K=V" for the build step (verify's variations)
  std::string build_path_parent = "/build";  // the build path is <parent>/<source>-<version>
  std::uint64_t timeout_seconds = 0;
  // Knobs for verify's variations (build/variation.h); the defaults are design §5's values.
  unsigned umask = 022;
  std::string build_preamble;        // shell lines run as the sandbox's root before the build
  std::string build_command_prefix;  // shell words before dpkg-buildpackage, after the user switch
  std::vector<std::string> extra_build_packages;  // joined to the Build-Depends request
  std::function<void()> after_prepare;  // called once the dependency layer is ready
};

struct DebianBuildResult {
  bool ok = false;
  std::string source, version, arch;
  std::vector<StepRecord> steps;
  std::vector<std::string> artifacts;  // published files in out_dir
  std::string log_path;                // the .build log in out_dir
  std::string failed_step;
  std::string error;
  // Environment: the machine refused (a full disk); the exit code says so.
  ErrorKind error_kind = ErrorKind::Failure;
  bool layer_reused = false;
  std::string kept_build_dir;
};

// 0 when it worked; 3 when the machine refused something; 1 otherwise.
int build_exit_code(const DebianBuildResult& result);

// Never throws for a failed build (see result.ok); throws Error for bad input
// found before anything ran (no such source, no such snapshot).
DebianBuildResult build_debian_source(const DebianBuildOptions& options);

std::string build_result_to_json(const DebianBuildResult& result);

}  // namespace cleanroom::build
