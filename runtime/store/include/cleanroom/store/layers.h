// Cached overlay layers: the upper directory of a prepare step (build
// dependencies installed with apt over a snapshot), kept so that the next build
// with the same inputs starts from it and does no apt work at all.
//
//   <store>/layers/<key>/upper/      the overlay upper (owned like the snapshot)
//   <store>/layers/<key>/layer.json  format_version, base snapshot id, inputs, packages
//
// The key hashes the base snapshot id and the canonical dependency request, so
// a layer never outlives the meaning of its inputs; a layer is published by one
// rename under the store lock, so readers see it whole or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
};

class LayerCache {
 public:
  explicit LayerCache(const Store& store);

  std::optional<LayerInfo> find(const std::string& key) const;
  // Moves upper_dir (which must be inside a WorkDir of this store) to
  // layers/<key>/upper. When another process published the same key first,
  // keeps theirs and leaves upper_dir where it is (the WorkDir removes it).
  LayerInfo publish(const LayerInfo& info, const std::string& upper_dir) const;
  std::vector<LayerInfo> list() const;
  // Removes layers whose base snapshot is no longer in the store.
  std::vector<std::string> collect_garbage() const;

 private:
  const Store& store_;
};

std::string encode_layer(const LayerInfo& info);
LayerInfo decode_layer(const std::string& text, const std::string& name_for_errors);

}  // namespace cleanroom::store
