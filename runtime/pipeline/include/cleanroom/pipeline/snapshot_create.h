// `cleanroom snapshot create`: bootstrap a suite with mmdebstrap (debootstrap
// when mmdebstrap is absent), clean what makes a bootstrap differ between two
// runs, and publish the tree through the store. This layer composes because it
// spawns processes; the store never does (docs/architecture.md).
#pragma once

#include <string>
#include <vector>

#include "cleanroom/store/chroot_definition.h"
#include "cleanroom/store/import.h"
#include "cleanroom/store/store.h"

namespace cleanroom::build {

struct SnapshotCreateOptions {
  std::string suite;
  std::string name;       // default: the suite
  std::string mirror;     // default: the definition's
  std::string variant;    // default: the definition's (buildd)
  std::string arch;       // default: the host's dpkg architecture
  std::vector<std::string> include;  // extra packages, comma or space separated items
  std::string chroots_dir;           // default: store::chroot_definitions_dir()
  std::string bootstrapper;          // "", "mmdebstrap" or "debootstrap"
  bool force = false;  // move the name off a snapshot of other content (see import.h)
};

// "a,b c" and "d" -> {"a","b","c","d"}, duplicates dropped, order kept.
// Throws Error(Input) for names dpkg would not accept.
std::vector<std::string> split_package_list(const std::vector<std::string>& items);

struct BootstrapInvocation {
  std::string tool;               // "mmdebstrap" or "debootstrap"
  std::vector<std::string> argv;
};

// What mmdebstrap is asked: the suite into output (a .tar), with the
// definition's mirror, keyrings and components. unshare: --mode=unshare (users).
BootstrapInvocation mmdebstrap_invocation(const store::ChrootDefinition& def,
                                          const SnapshotCreateOptions& options,
                                          const std::vector<std::string>& packages,
                                          const std::string& output, bool unshare);
// debootstrap into the directory output (root only).
BootstrapInvocation debootstrap_invocation(const store::ChrootDefinition& def,
                                           const SnapshotCreateOptions& options,
                                           const std::vector<std::string>& packages,
                                           const std::string& output);

// Removes what a bootstrap leaves that differs between runs or hosts: apt lists
// and caches, logs, machine-id, ld.so's aux cache, /tmp, the host's hostname
// and resolv.conf, device nodes (the sandbox brings its own /dev).
void clean_bootstrap_tree(const std::string& tree);

store::Published create_snapshot(store::Store& store, const SnapshotCreateOptions& options);

}  // namespace cleanroom::build
