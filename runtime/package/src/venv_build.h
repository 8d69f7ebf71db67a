// The venv pipeline: inspect -> wheelhouse (mount a directory or unpack the
// wheelhouse .deb, checked against its lock) -> prepare (python3-venv,
// python3-pip) -> resolve (only from the wheelhouse; pinned with hashes) ->
// venv (in the sandbox, offline, no compiler, at the final path) -> check
// (build-path leaks) -> package (links, Depends, maintainer scripts, units) ->
// record. Publishing is the caller's.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/pipeline/steps.h"
#include "python_context.h"

namespace cleanroom::build {

// `wheelhouse`: a directory with wheelhouse.lock, or a wheelhouse .deb.
std::vector<std::string> run_venv_steps(RecipeContext& ctx, StepRunner& steps,
                                        const std::string& wheelhouse);

}  // namespace cleanroom::build
