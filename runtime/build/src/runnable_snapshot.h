// A snapshot taken into use for a sandbox: held by Store::use, and refused with
// a clear error when its programs are of an architecture the sandbox cannot run
// (they would die of SIGSYS at their first system call).
#pragma once

#include <string>

#include "cleanroom/store/store.h"

namespace cleanroom::build {

// Store::use(name), then Error(Input) naming the snapshot and the
// architectures a sandbox here runs when the snapshot's is not one of them.
store::SnapshotInfo use_runnable_snapshot(store::Store& store, const std::string& name);

// sbuild's --arch picks the chroot of that architecture. Here: `name` itself
// when its snapshot holds arch programs, else the snapshot `name-arch`.
// Error(Input) saying how to create it when neither exists. An empty arch
// returns name unchanged.
std::string snapshot_for_arch(const store::Store& store, const std::string& name,
                              const std::string& arch);

}  // namespace cleanroom::build
