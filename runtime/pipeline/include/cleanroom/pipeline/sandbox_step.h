// One build step in the sandbox: a bash script over the snapshot (plus cached
// layers), with the work directory bound at the build path's parent and the
// log appended to by the script itself, since the sandbox helper hands the
// command the caller's stdout and stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/pipeline/step_variation.h"
#include "cleanroom/sandbox/mount_plan.h"
#include "cleanroom/store/store.h"

namespace cleanroom::build {

struct SandboxStep {
  std::vector<std::string> lower_dirs;  // top-most first
  std::string arch;                     // the snapshot's Debian architecture
  std::string upper_dir, work_dir;      // both empty: throw-away tmpfs upper
  std::vector<sandbox::BindRequest> binds;
  bool network = false;
  std::vector<std::string> env;  // "K=V" over the sandbox's defaults
  std::optional<std::int64_t> source_date_epoch;
  std::string hostname = "cleanroom";
  std::string domainname;
  std::string workdir = "/";
  std::string script;            // run by bash -e
  std::string log_inside;        // absolute path inside the sandbox to append output to
  bool quiet = false;
  std::uint64_t timeout_seconds = 0;
  bool interactive = false;      // --shell-on-failure: a terminal, no log
  StepVariation variation;       // verify's varied recipe build: applied last
};

// Runs the step; returns the script's exit status (124 on timeout).
int run_sandbox_step(const store::IdMap& ids, const SandboxStep& step);

// The sandbox's root is an unprivileged host id (the store's inside-0): what
// it must write into, or read from a private directory, is handed to it. As
// root only (a rootless store's inside-0 is the user). Never follows a link;
// the _tree form hands everything below path too.
void hand_to_sandbox_root(const store::IdMap& ids, const std::string& path);
void hand_tree_to_sandbox_root(const store::IdMap& ids, const std::string& path);

// Single-quoted for bash.
std::string shell_quote(const std::string& text);

}  // namespace cleanroom::build
