// The snapshot store: content-addressed, unpacked-once chroot snapshots with
// name aliases. Layout (format version in store.json):
//   <store>/store.json                  format_version, id map the store's files use
//   <store>/lock                        flock: exclusive for changes, shared for readers
//   <store>/snapshots/<id>/root/        the unpacked tree (owned by the id map's host ids)
//   <store>/snapshots/<id>/snapshot.tar.zst, manifest, meta.json
//   <store>/names/<name>                alias file holding an id
//   <store>/tmp/                        work dirs, removed on the next start when stale
//   <store>/in-use/<id>                 flock: shared while a sandbox or build uses the snapshot
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/base/file_lock.h"

namespace cleanroom::store {

// How ids inside a sandbox map to ids on the host for this store's files.
// As root: inside 0..count-1 -> host base..base+count-1 (never host root).
// A normal user with a subordinate range: inside 0 -> the user (base), inside
// 1..count-1 -> sub_base..sub_base+count-2; the process enters a user namespace
// of that shape (base/user_namespace.h), where Store::id_map() is 0..count-1.
// A normal user without one: inside 0 -> the user's uid, count 1.
struct IdMap {
  std::uint32_t host_uid_base = 0;
  std::uint32_t host_gid_base = 0;
  std::uint32_t count = 1;
  std::uint32_t sub_uid_base = 0;  // 0: no subordinate part
  std::uint32_t sub_gid_base = 0;
  bool subordinate() const { return sub_uid_base != 0; }
  bool operator==(const IdMap&) const = default;
};

struct SnapshotInfo {
  std::string id;         // sha256 of snapshot.tar.zst
  std::vector<std::string> names;
  std::string suite;      // e.g. "bookworm"
  std::string arch;       // e.g. "amd64"
  std::string root_dir;   // absolute path of the unpacked tree
  std::uint64_t size = 0;  // bytes of the unpacked tree
  std::int64_t created = 0;  // unix time
  std::string deb_compression;  // "xz" or "zstd": what this suite's dpkg reads
  std::string mirror;     // "" for imports
  std::string origin;     // "mmdebstrap", "debootstrap", "import <file>"
  // From use(): a shared lock held as long as any copy of this info lives, so
  // `snapshot rm` and `gc` leave the snapshot alone while a sandbox or a build
  // runs on it. Empty otherwise, or when the store is not writable.
  std::shared_ptr<FileLock> in_use;
};

inline constexpr int kStoreVersion = 1;

// Unnamed snapshots, as `snapshot gc` weighs them: due for removal, or kept
// because they were created less than the grace period ago.
struct Garbage {
  std::vector<SnapshotInfo> due;
  std::vector<SnapshotInfo> young;
};

struct RemoveResult {
  std::vector<std::string> removed_names;
  std::string removed_id;  // empty when the snapshot stays (other names point at it)
};

// Where the store lives: explicit, else $CLEANROOM_STORE, else /var/lib/cleanroom
// as root, $XDG_DATA_HOME/cleanroom (or ~/.local/share/cleanroom) otherwise.
std::string default_store_path(const std::string& explicit_path);

class Store {
 public:
  explicit Store(std::string path);  // opens (creating the layout if needed)
  const std::string& path() const { return path_; }
  // The ids this process chowns the store's files to: for a store with a
  // subordinate range, as seen inside the namespace the store entered.
  IdMap id_map() const;
  // As store.json records it, in host ids.
  IdMap recorded_id_map() const { return recorded_; }

  // Resolves a name or id (or unique id prefix). Throws Error(Input) listing the
  // snapshots that exist when nothing matches.
  SnapshotInfo resolve(const std::string& name_or_id) const;
  // resolve(), for running on the snapshot: the result holds it in use.
  SnapshotInfo use(const std::string& name_or_id) const;
  // Every snapshot, sorted by first name (unnamed ones last, by id).
  std::vector<SnapshotInfo> list() const;

  std::string lock_path() const { return path_ + "/lock"; }
  std::string in_use_path(const std::string& id) const { return path_ + "/in-use/" + id; }
  std::string tmp_dir() const { return path_ + "/tmp"; }
  std::string snapshot_dir(const std::string& id) const { return path_ + "/snapshots/" + id; }
  std::string alias_path(const std::string& name) const { return path_ + "/names/" + name; }

  // The id a name points at, nullopt when there is no such name.
  std::optional<std::string> read_alias(const std::string& name) const;
  // Points name at id; the caller holds the store lock exclusively.
  void write_alias(const std::string& name, const std::string& id) const;

  // Removes a name; removes the snapshot too when no other name points at it.
  // Given an id (or with force) removes the snapshot and every name of it;
  // an id that still has names is refused without force.
  RemoveResult remove(const std::string& name_or_id, bool force);
  // The snapshots no name points at: due when created more than
  // grace_seconds before now (every one with all), else young.
  Garbage find_garbage(std::int64_t grace_seconds, bool all, std::int64_t now) const;
  // Removes those of ids that are still unnamed and that no sandbox uses;
  // returns the ids removed.
  std::vector<std::string> collect_garbage(const std::vector<std::string>& ids);

 private:
  void create_layout();
  void restrict_access() const;
  void enter_id_map();
  void remove_stale_work_dirs();
  std::string path_;
  IdMap recorded_;
};

}  // namespace cleanroom::store
