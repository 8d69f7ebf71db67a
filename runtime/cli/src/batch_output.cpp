#include "batch_output.h"

#include <algorithm>
#include <cstdio>

namespace cleanroom::cli {

void print_batch(const build::Plan& plan, const std::vector<build::NodeReport>& reports, bool quiet) {
  if (!quiet) std::fprintf(stderr, "\n%s", build::format_batch_table(reports).c_str());
  for (const auto& r : reports) {
    auto node = std::find_if(plan.nodes.begin(), plan.nodes.end(),
                             [&](const build::PlanNode& n) { return n.id == r.id; });
    if (node == plan.nodes.end()) continue;
    bool ok = r.outcome == build::NodeOutcome::Built || r.outcome == build::NodeOutcome::Reused;
    if (ok) {
      for (const auto& name : node->outputs) std::printf("%s/%s\n", plan.out_dir.c_str(), name.c_str());
    } else if (quiet) {
      std::fprintf(stderr, "cleanroom: error: %s %s: %s (log: %s/.cleanroom-batch/%s.log)\n",
                   r.id.c_str(), build::outcome_name(r.outcome), r.note.c_str(),
                   plan.out_dir.c_str(), r.id.c_str());
    }
  }
}

}  // namespace cleanroom::cli
