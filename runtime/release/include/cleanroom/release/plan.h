// Batch builds of recipes as a DAG: wheelhouses before the venvs that use them.
// Each node carries the exact `cleanroom build` command, a hash of everything
// that goes into it (recipe meaning, sources, requirement files, snapshot, the
// inputs of the wheelhouse it uses) and the files it will write. The same plan
// drives the local batch runner (skip what is already built, run independent
// nodes in parallel) and external CI engines (`cleanroom plan --format json`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cleanroom::build {

// 2: commands start with plain `cleanroom`, carry no --store, and name
// recipes and the output directory relative to the plan's root.
// 3: nodes name the snapshot they build in (and its id), and a plan made with
// --verify carries "verify" nodes, which write no outputs.
inline constexpr int kPlanVersion = 3;

struct PlanNode {
  std::string id;          // the recipe's package name, unique in a plan
  std::string kind;        // "wheelhouse", "venv" or "verify"
  std::string recipe;      // relative to the plan's root when beneath it
  std::string input_hash;  // changes whenever anything the build reads changes
  // argv of the build, run in the plan's root: "cleanroom" and portable paths,
  // so that a worker elsewhere runs the same command in its own checkout.
  std::vector<std::string> command;
  std::vector<std::string> outputs;   // file names written into the output dir (none for verify)
  std::vector<std::string> depends_on;  // ids of nodes that must be built first
  // What a worker must hold to run the command; the id is empty when the
  // planning machine had no store to resolve the name in.
  std::string snapshot, snapshot_id;
};

struct Plan {
  std::string root;     // absolute: the directory node commands run in
  std::string out_dir;  // absolute, for this machine's runner
  std::vector<PlanNode> nodes;  // in a valid build order
};

// The `cleanroom build` options a batch passes to every node. The snapshot
// and the architecture decide the bytes, so they count in each node's input
// hash (the snapshot by the id it resolves to); offline and timeout decide only
// whether a build may run, and lintian only what it reports, not what it makes.
struct NodeBuildOptions {
  std::string snapshot;  // -d: every recipe builds there instead of in its own
  std::string arch;      // --arch
  bool offline = false;
  std::uint64_t timeout_seconds = 0;
  bool run_lintian = true;  // false: build nodes get --no-run-lintian
};

struct PlanOptions {
  std::vector<std::string> sources;  // recipe files or directories of them
  std::string out_dir;               // "" : the current directory
  std::string root;                  // "" : the current directory
  std::string store_path;            // to resolve snapshot names to ids
  NodeBuildOptions build;
  // Adds after each build node a "verify" node (id verify-<package>) that runs
  // `cleanroom verify` on the same recipe with the same inputs.
  bool verify = false;
};

// Throws Error(Input) listing every recipe problem, duplicate ids, and cycles,
// and for a snapshot the store does not hold (naming the one probably meant).
Plan make_plan(const PlanOptions& options);
std::string plan_to_json(const Plan& plan);

struct BatchOptions {
  unsigned jobs = 1;
  bool quiet = false;
  std::string cleanroom = "cleanroom";  // the program that runs each node's command
  std::string store_path;               // passed on as --store when set
};

enum class NodeOutcome { Built, Reused, Failed, Skipped };

struct NodeReport {
  std::string id;
  NodeOutcome outcome = NodeOutcome::Skipped;
  double seconds = 0;
  std::string note;
};

// Runs the plan: a node whose stamp in <out>/.cleanroom-batch/ records the same
// input hash and whose outputs still have the recorded SHA-256 is reused; the
// others run as child processes, up to `jobs` at a time, once their
// dependencies succeeded. A failed node's dependents are skipped.
std::vector<NodeReport> run_plan(const Plan& plan, const BatchOptions& options);
std::string format_batch_table(const std::vector<NodeReport>& reports);
// One JSON document for the whole batch: ok, and per recipe its outcome,
// seconds, note and output paths.
std::string batch_to_json(const Plan& plan, const std::vector<NodeReport>& reports);
// True when every node was built or reused.
bool batch_succeeded(const std::vector<NodeReport>& reports);
const char* outcome_name(NodeOutcome outcome);

}  // namespace cleanroom::build
