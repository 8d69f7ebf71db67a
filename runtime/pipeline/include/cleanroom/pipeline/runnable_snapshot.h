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

// Whether a sandbox here runs arch's programs (see
// sandbox::runnable_debian_arches; always, on a platform cleanroom does not
// know), and those architectures for messages: "amd64 or i386".
bool sandbox_runs(const std::string& arch);
std::string runnable_arches_text();

// Whether this kernel runs arch's programs, as arch-test answers: a 64-bit
// kernel may lack its 32-bit entry (no CONFIG_IA32_EMULATION, or
// ia32_emulation=0). detail is arch-test's answer when it says no.
struct KernelArchCheck {
  bool arch_test_installed = false;
  bool runs = false;
  std::string detail;
};
KernelArchCheck check_kernel_runs(const std::string& arch);

// sbuild's --arch picks the chroot of that architecture. Here: `name` itself
// when its snapshot holds arch programs, else the snapshot `name-arch`.
// Error(Input) saying how to create it when neither exists. An empty arch
// returns name unchanged.
std::string snapshot_for_arch(const store::Store& store, const std::string& name,
                              const std::string& arch);

}  // namespace cleanroom::build
