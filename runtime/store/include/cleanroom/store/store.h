// The snapshot store: content-addressed, unpacked-once chroot snapshots with
// name aliases. Layout (format version in store.json):
//   <store>/store.json                  format_version, id map the store's files use
//   <store>/lock                        flock: exclusive for changes, shared for readers
//   <store>/snapshots/<id>/root/        the unpacked tree (owned by the id map's host ids)
//   <store>/snapshots/<id>/snapshot.tar.zst, manifest, meta.json
//   <store>/names/<name>                alias file holding an id
//   <store>/tmp/                        work dirs, removed on the next start when stale
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cleanroom::store {

// How ids inside a sandbox map to ids on the host for this store's files.
// As root: inside 0..count-1 -> host base..base+count-1 (never host root).
// As a normal user: inside 0 -> the user's uid, count 1.
struct IdMap {
  std::uint32_t host_uid_base = 0;
  std::uint32_t host_gid_base = 0;
  std::uint32_t count = 1;
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
};

// Where the store lives: explicit, else $CLEANROOM_STORE, else /var/lib/cleanroom
// as root, $XDG_DATA_HOME/cleanroom (or ~/.local/share/cleanroom) otherwise.
std::string default_store_path(const std::string& explicit_path);

class Store {
 public:
  explicit Store(std::string path);  // opens (creating the layout if needed)
  const std::string& path() const { return path_; }
  IdMap id_map() const;

  // Resolves a name or id (or unique id prefix). Throws Error(Input) listing the
  // snapshots that exist when nothing matches.
  SnapshotInfo resolve(const std::string& name_or_id) const;
  std::vector<SnapshotInfo> list() const;

 private:
  std::string path_;
};

}  // namespace cleanroom::store
