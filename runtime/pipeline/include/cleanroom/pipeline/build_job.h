// One build, of either kind (a Debian source or a recipe): what every build
// takes as options, the snapshot it runs in, its work directory, its log, the
// layer its prepare step made, and how its outputs are published. The Debian
// and recipe pipelines (package/) add their own facts on top of a BuildJob
// and run their steps on it; everything below is theirs in common.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/pipeline/prepare_layer.h"
#include "cleanroom/pipeline/sandbox_step.h"
#include "cleanroom/pipeline/step_variation.h"
#include "cleanroom/pipeline/steps.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "cleanroom/store/work_dir.h"

namespace cleanroom::build {

// Version of build_result_to_json's report.
constexpr int kBuildReportFormatVersion = 1;

struct JobOptions {
  std::string store_path;  // "": store::default_store_path
  std::string snapshot;    // -d/--dist
  std::string arch;        // --arch: that architecture's snapshot (NAME-ARCH)
  std::string out_dir;     // "": next to the source
  std::string wheelhouse;  // directory or .deb, mounted read-only for pip; "" for none
  bool offline = false;    // fail instead of using the network for prepare
  bool quiet = false;      // do not echo the steps' output (the log has it)
  bool keep_build_dir = false;
  std::uint64_t timeout_seconds = 0;
  std::vector<std::string> extra_build_packages;  // joined to the prepare request (faketime)
  StepVariation variation;                        // verify's varied build
  std::function<void()> after_prepare;            // called once the dependency layer is ready
};

struct BuildResult {
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
  // The snapshot the build ran in, as asked for and by its full id (set once
  // outputs are published).
  std::string snapshot_name, snapshot_id;
};

// 0 when it worked; 3 when the machine refused something; 128+N when signal N
// stopped it; 1 otherwise.
int build_exit_code(const BuildResult& result);
std::string build_result_to_json(const BuildResult& result);

class BuildJob {
 public:
  // Takes the snapshot into use (refusing one this kernel cannot run) and
  // makes the work directory in the store's tmp/, where the next store open
  // removes it if this process is killed; log/ and staging/ in it.
  BuildJob(const JobOptions& options, store::Store store, const std::string& snapshot_name);

  const JobOptions& options;
  store::Store store;
  std::string snapshot_asked;  // as asked for: a name, an id or a prefix
  store::SnapshotInfo snapshot;
  store::IdMap ids;
  store::WorkDir work;
  std::string log_dir, log_path, staging_dir;
  std::string out_dir;  // made and checked by set_out_dir
  store::LayerInfo layer;
  bool layer_reused = false;

  // Appends a line to the build log.
  void log(const std::string& line) const;
  // The sandbox's root is an unprivileged host id: what it must write or read
  // from the host is handed to it (never following a link).
  void own(const std::string& path) const;
  void own_tree(const std::string& path) const;
  // A fresh directory in the work dir that the sandbox's root owns.
  std::string sandbox_dir(const std::string& name) const;
  // Copies a host file or tree into the work dir, owned by the sandbox's root.
  void stage_copy(const std::string& from, const std::string& to) const;
  void set_out_dir(const std::string& dir);

  // Whether the build root, the prepared layer over the snapshot, holds this
  // path (relative to the root; a link counts, as it is not followed on the host).
  bool build_root_has(const std::string& relative) const;

  // A step over the prepared layer (once there is one) and the snapshot, the
  // log bound and appended to, offline, with the variation's host name.
  SandboxStep step() const;

  // The prepare step: finds or builds the layer for request (its log is this
  // job's), notes it in the step table and the log, then calls after_prepare.
  void prepare(StepRunner& steps, PrepareRequest request, const std::string& what);

  // Publishes files into out_dir, all written before the first rename, and
  // adds them to result.artifacts.
  void publish(const std::vector<std::string>& files, BuildResult& result) const;

  // Runs the pipeline's steps: a failure is recorded in the result and the
  // log, the log is published in out_dir under the name log_name() gives once
  // the steps are over (they may learn the version), and the work dir is kept
  // under <store>/kept-builds/<keep_name>-* when asked.
  BuildResult run(BuildResult result, const std::function<std::string()>& log_name,
                  const std::string& keep_name,
                  const std::function<void(StepRunner&, BuildResult&)>& steps);

 private:
  // Moves the work dir out of tmp/ (where the next store open would remove it)
  // into <store>/kept-builds/<name>-<dir>, one rename on the same filesystem.
  std::string keep_work_dir(const std::string& name) const;
};

}  // namespace cleanroom::build
