// A snapshot taken into use for a sandbox: held by Store::use, and refused with
// a clear error when its programs are of an architecture the sandbox cannot run
// (they would die of SIGSYS at their first system call).
#pragma once

#include <string>

#include "cleanroom/store/store.h"

namespace cleanroom::build {

// Store::use(name), then Error(Input) naming the snapshot and both
// architectures when the snapshot is not of the sandbox's own.
store::SnapshotInfo use_runnable_snapshot(store::Store& store, const std::string& name);

}  // namespace cleanroom::build
