// Reading a snapshot tree the same way whenever it is packed, verified or
// exported: formats::scan_tree, owners translated from host ids to the ids the
// sandbox sees, and host-dependent fields (user names, xattrs) dropped so the
// archive bytes depend on the tree alone.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/formats/tar.h"
#include "cleanroom/store/manifest.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

// Owner ids outside the map: an error when strict (packing), else reported
// as kForeignId so verify shows them as a change.
inline constexpr std::uint32_t kForeignId = 0xffffffffu;

std::vector<formats::TarEntry> scan_snapshot_tree(const std::string& root, const IdMap& map,
                                                  bool strict);

// Hashes regular files' content (from source_path).
ManifestEntry manifest_entry(const formats::TarEntry& entry);

}  // namespace cleanroom::store
