// Checking a stored snapshot against what was recorded when it was published:
// the archive must still hash to the id, and the unpacked root must match the
// manifest entry for entry.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/store/manifest.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

struct VerifyResult {
  SnapshotInfo snapshot;
  bool archive_ok = true;
  std::string archive_sha256;  // what snapshot.tar.zst hashes to now
  std::vector<ManifestChange> changes;  // in the unpacked root
  bool ok() const { return archive_ok && changes.empty(); }
};

VerifyResult verify_snapshot(const Store& store, const std::string& name_or_id);

// The manifest of a tree as it is now, owners translated back through id_map.
std::vector<ManifestEntry> manifest_of_tree(const std::string& root, const IdMap& id_map);

// Writes the snapshot to file: the stored archive for .tar.zst, else the same
// entries recompressed as the extension says (.tar, .tar.gz, .tar.xz).
void export_snapshot(const Store& store, const std::string& name_or_id, const std::string& file);

}  // namespace cleanroom::store
