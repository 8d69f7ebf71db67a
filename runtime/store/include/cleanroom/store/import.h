// Turning a tree or an archive into a stored snapshot. Both end in one path:
// pack the tree deterministically into snapshot.tar.zst (sorted, mtimes clamped,
// owners as seen inside the sandbox), hash it for the id, write the manifest and
// meta.json, shift owners to the store's id map, then rename the finished
// directory into snapshots/<id> and point the name at it under the store lock.
// Nothing outside <store>/tmp changes before that rename.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cleanroom/store/meta.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

class WorkDir;

// SOURCE_DATE_EPOCH from the environment, else kDefaultSourceDateEpoch. Throws
// Error(Input) for a value that is not a non-negative integer.
inline constexpr std::int64_t kDefaultSourceDateEpoch = 1704067200;  // 2024-01-01 UTC
std::int64_t source_date_epoch_from_env();

struct PublishRequest {
  std::string tree;   // a directory inside work, owned by inside ids (as root) or the user
  std::string name;   // alias to point at the result
  SnapshotMeta meta;  // suite, arch, mirror, variant, origin, deb_compression, source_date_epoch
  // A name already on a snapshot of other content moves only when asked
  // (--force): moving it silently would leave the old snapshot to `gc`.
  bool replace = false;
};

struct Published {
  SnapshotInfo snapshot;
  std::string replaced_id;  // the snapshot the name pointed at before; "" if none or the same
};

// Packs, hashes and publishes tree (consuming it). Reuses an existing snapshot
// with the same id. Error(Input) naming --force, with the store as it was, when
// the name is on another snapshot and request.replace is false.
Published publish_tree(Store& store, const WorkDir& work, const PublishRequest& request);

struct ImportRequest {
  std::string archive;  // .tar, .tar.zst, .tar.xz, .tar.gz
  std::string name;
  SnapshotMeta meta;    // as for PublishRequest; origin defaults to "import <file>"
  // Runs on the extracted tree before packing (snapshot create cleans caches here).
  std::function<void(const std::string& tree)> prepare;
  bool replace = false;  // as for PublishRequest
  // Content bytes the extraction may write; 0: unpacked_budget(the archive's size).
  std::uint64_t max_unpacked = 0;
};

// What an archive of archive_size bytes may unpack to unless --max-unpacked
// says otherwise: 100 times its size (a Debian tree compresses 3 to 8 times),
// at least 256 MiB and at most 32 GiB, so that a 33 KB archive cannot fill the
// store's disk with zeros.
std::uint64_t unpacked_budget(std::uint64_t archive_size);

// Safely extracts the archive into a work dir, then publish_tree. A corrupt or
// hostile archive is Error(Input) and leaves the store as it was.
Published import_archive(Store& store, const ImportRequest& request);

}  // namespace cleanroom::store
