// The wheelhouse pipeline: inspect -> prepare -> resolve -> wheels (build the
// sdists the plan needs, learn their dependencies, resolve again) -> check
// (platform wheels without compiled code) -> lock (wheelhouse.lock, simple
// index) -> package -> record. Publishing is the caller's.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/pipeline/steps.h"
#include "python_context.h"

namespace cleanroom::build {

// Runs the steps; returns the files to publish (.deb, .buildinfo, .changes).
std::vector<std::string> run_wheelhouse_steps(RecipeContext& ctx, StepRunner& steps);

}  // namespace cleanroom::build
