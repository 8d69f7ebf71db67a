#include "cleanroom/store/verify.h"

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/sha256.h"
#include "tree_scan.h"

namespace cleanroom::store {

std::vector<ManifestEntry> manifest_of_tree(const std::string& root, const IdMap& id_map) {
  std::vector<ManifestEntry> out;
  for (const auto& e : scan_snapshot_tree(root, id_map, false)) out.push_back(manifest_entry(e));
  return out;
}

VerifyResult verify_snapshot(const Store& store, const std::string& name_or_id) {
  VerifyResult r;
  r.snapshot = store.resolve(name_or_id);
  std::string dir = store.snapshot_dir(r.snapshot.id);
  r.archive_sha256 = sha256_file(dir + "/snapshot.tar.zst");
  r.archive_ok = r.archive_sha256 == r.snapshot.id;
  auto recorded = decode_manifest(read_file(dir + "/manifest"), dir + "/manifest");
  r.changes = compare_manifests(recorded, manifest_of_tree(r.snapshot.root_dir, store.id_map()));
  return r;
}

}  // namespace cleanroom::store
