// Cached overlay layers: the upper directory of a prepare step (build
// dependencies installed with apt over a snapshot), kept so that the next build
// with the same inputs starts from it and does no apt work at all.
//
//   <store>/layers/<key>/upper/      the overlay upper (owned like the snapshot)
//   <store>/layers/<key>/layer.json  format_version, base snapshot id, inputs, packages, size
//   <store>/in-use/layer-<key>       held shared by every build on the layer;
//                                    its mtime is the layer's last use
//
// The key hashes the base snapshot id and the canonical dependency request, so
// a layer never outlives the meaning of its inputs; a layer is published by one
// rename under the store lock, so readers see it whole or not at all.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cleanroom {
class FileLock;
}

namespace cleanroom::store {

class Store;

inline constexpr int kLayerVersion = 1;

struct LayerInfo {
  std::string key;
  std::string base_snapshot;  // the snapshot id the layer sits on
  std::string request;        // what was asked for (dependency field, extra packages)
  std::vector<std::string> packages;  // "name (= version)" installed in the layer
  std::int64_t created = 0;
  std::string upper_dir;  // absolute path of the stored upper
  std::uint64_t size = 0;  // bytes on disk, recorded at publish (0: not recorded)
  std::int64_t last_used = 0;  // unix time; created when never used since
  // From use() and publish(): a shared lock held as long as any copy of this
  // info lives, so that `cache prune` leaves the layer alone meanwhile.
  std::shared_ptr<FileLock> in_use;
};

// What `cache prune` removes: layers on a snapshot the store no longer has,
// always; those unused for older_than_seconds (0: no age limit); then the
// least recently used until the rest fit in max_bytes (0: no size limit).
struct PrunePolicy {
  std::int64_t older_than_seconds = 0;
  std::uint64_t max_bytes = 0;
};

struct LayerUse {
  std::string key;
  bool base_exists = true;
  std::int64_t last_used = 0;
  std::uint64_t bytes = 0;
};

// The keys policy removes from layers, in removal order (pure: unit-tested).
std::vector<std::string> choose_layers_to_prune(std::vector<LayerUse> layers,
                                                const PrunePolicy& policy, std::int64_t now);

struct PruneResult {
  std::vector<std::string> removed;
  std::vector<std::string> in_use;  // chosen, but a build runs on it: kept
  std::uint64_t freed_bytes = 0;
};

class LayerCache {
 public:
  explicit LayerCache(const Store& store);

  std::optional<LayerInfo> find(const std::string& key) const;
  // find(), for building on the layer: the result holds it in use, and the
  // layer's last use becomes now.
  std::optional<LayerInfo> use(const std::string& key) const;
  // Moves upper_dir (which must be inside a WorkDir of this store) to
  // layers/<key>/upper. When another process published the same key first,
  // keeps theirs and leaves upper_dir where it is (the WorkDir removes it).
  // The result holds the layer in use.
  LayerInfo publish(const LayerInfo& info, const std::string& upper_dir) const;
  std::vector<LayerInfo> list() const;
  // Bytes the layer's upper takes on disk (allocated blocks, hard links once).
  std::uint64_t disk_usage(const LayerInfo& info) const;
  // Removes what policy chooses, except layers in use; dry_run only reports.
  PruneResult prune(const PrunePolicy& policy, std::int64_t now, bool dry_run) const;

 private:
  const Store& store_;
};

std::string encode_layer(const LayerInfo& info);
LayerInfo decode_layer(const std::string& text, const std::string& name_for_errors);

}  // namespace cleanroom::store
