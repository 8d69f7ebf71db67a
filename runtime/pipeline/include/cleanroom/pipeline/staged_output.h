// Outputs are copied into --out under a temporary name and renamed only when
// every output of a build has been written: a full disk fails the build while
// every file of a previous build is still there (uncommitted temporaries
// remove themselves), and a reader never sees half a file.
#pragma once

#include <optional>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/temp_dir.h"

namespace cleanroom::build {

// Makes an output directory (and its parents) when missing, and checks before
// any build work that it is a writable directory: Error(Input) naming it and
// the option that gave it otherwise.
void prepare_output_dir(const std::string& dir, const std::string& option = "--out");

// Where verify or audit put their builds: --keep DIR (made and checked as an
// output directory), else a temporary directory that `work` holds.
std::string keep_or_temp_dir(const std::string& keep_dir, const std::string& temp_prefix,
                             std::optional<TempDir>& work);

// Copies `from` to a temporary sibling of `target` as a file a sandbox wrote
// (base/sandbox_file.h: no link followed, one regular file, size capped);
// commit() publishes it.
AtomicFile stage_output(const std::string& from, const std::string& target);

}  // namespace cleanroom::build
