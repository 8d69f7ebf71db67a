// The prepare step: build dependencies installed with apt over the snapshot into
// an on-disk upper, published as a cached layer. The layer's key hashes the
// snapshot id and the exact request (reduced dependency field, extra packages'
// hashes, extra repositories), so a second build of the same package finds it
// and runs no apt at all. The only step of a build with network.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"

namespace cleanroom::build {

struct PrepareRequest {
  std::string dependencies;  // canonical, reduced for the host arch and profiles
  std::vector<std::string> extra_packages;      // host paths of .debs
  std::vector<std::string> extra_repositories;  // sources.list lines
  // Exact versions to install over the dependencies, as a Debian .buildinfo
  // records them: {"name" or "name:arch", "version"}, each checked by the
  // caller. One the mirror does not have is left at what apt chose; the
  // layer's package list then says what was installed instead.
  std::vector<std::pair<std::string, std::string>> exact_versions;
  std::string log_host;      // the build log on the host (appended to)
  bool offline = false;
  bool quiet = false;
};

std::string prepare_key(const store::SnapshotInfo& snapshot, const PrepareRequest& request);

struct PrepareResult {
  store::LayerInfo layer;
  bool reused = false;
};

// Finds or builds the layer. Throws Error(Input) when apt cannot satisfy the
// dependencies (naming them) or when offline and no layer fits.
PrepareResult prepare_layer(store::Store& store, const store::SnapshotInfo& snapshot,
                            const PrepareRequest& request);

}  // namespace cleanroom::build
