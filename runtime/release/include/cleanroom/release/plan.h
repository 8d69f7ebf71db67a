// Batch builds of recipes as a DAG: wheelhouses before the venvs that use them.
// Each node carries the exact `cleanroom build` command, a hash of everything
// that goes into it (recipe meaning, sources, requirement files, snapshot, the
// inputs of the wheelhouse it uses) and the files it will write. The same plan
// drives the local batch runner (skip what is already built, run independent
// nodes in parallel) and external CI engines (`cleanroom plan --format json`).
#pragma once

#include <string>
#include <vector>

namespace cleanroom::build {

inline constexpr int kPlanVersion = 1;

struct PlanNode {
  std::string id;          // the recipe's package name, unique in a plan
  std::string kind;        // "wheelhouse" or "venv"
  std::string recipe;      // absolute path
  std::string input_hash;  // changes whenever anything the build reads changes
  std::vector<std::string> command;   // argv of the build
  std::vector<std::string> outputs;   // file names written into the output dir
  std::vector<std::string> depends_on;  // ids of nodes that must be built first
};

struct Plan {
  std::string out_dir;
  std::vector<PlanNode> nodes;  // in a valid build order
};

struct PlanOptions {
  std::vector<std::string> sources;  // recipe files or directories of them
  std::string out_dir;               // "" : the current directory
  std::string store_path;            // to resolve snapshot names to ids when possible
  std::string cleanroom = "cleanroom";  // argv[0] of the node commands
  std::vector<std::string> extra_args;  // appended to every node's command (--offline, -d ...)
};

// Throws Error(Input) listing every recipe problem, duplicate ids, and cycles.
Plan make_plan(const PlanOptions& options);
std::string plan_to_json(const Plan& plan);

struct BatchOptions {
  unsigned jobs = 1;
  bool quiet = false;
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
