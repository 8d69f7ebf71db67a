// How `build DIR` and `plan --run` report a batch on the terminal.
#pragma once

#include <vector>

#include "cleanroom/release/plan.h"

namespace cleanroom::cli {

// The outcome table on stderr, then every output path on stdout; with quiet,
// only the paths and one error line per node that did not succeed.
void print_batch(const build::Plan& plan, const std::vector<build::NodeReport>& reports, bool quiet);

}  // namespace cleanroom::cli
