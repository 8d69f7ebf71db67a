#include "cleanroom/store/layers.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_lock.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/names.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

namespace {
std::string layers_dir(const Store& store) { return store.path() + "/layers"; }

bool is_layer_key(const std::string& key) { return is_snapshot_id(key); }
}  // namespace

std::string encode_layer(const LayerInfo& info) {
  nlohmann::json j = {{"format_version", kLayerVersion}, {"key", info.key},
                      {"base_snapshot", info.base_snapshot}, {"request", info.request},
                      {"packages", info.packages}, {"created", info.created}};
  return j.dump(2) + "\n";
}

LayerInfo decode_layer(const std::string& text, const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw_input(fmt::format("'{}': not a layer description (bad JSON); remove the layer "
                            "directory and build again",
                            name));
  int version = j.value("format_version", 0);
  if (version > kLayerVersion)
    throw_input(fmt::format("'{}': layer format {} is newer than this cleanroom ({}); "
                            "upgrade cleanroom",
                            name, version, kLayerVersion));
  LayerInfo info;
  try {
    info.key = j.at("key").get<std::string>();
    info.base_snapshot = j.at("base_snapshot").get<std::string>();
    info.request = j.at("request").get<std::string>();
    info.packages = j.at("packages").get<std::vector<std::string>>();
    info.created = j.at("created").get<std::int64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw_input(fmt::format("'{}': {}", name, e.what()));
  }
  return info;
}

LayerCache::LayerCache(const Store& store) : store_(store) {}

std::optional<LayerInfo> LayerCache::find(const std::string& key) const {
  if (!is_layer_key(key)) throw_input(fmt::format("'{}' is not a layer key", key));
  std::string dir = layers_dir(store_) + "/" + key;
  if (!path_exists(dir + "/layer.json")) return std::nullopt;
  LayerInfo info = decode_layer(read_file(dir + "/layer.json"), dir + "/layer.json");
  info.upper_dir = dir + "/upper";
  return info;
}

LayerInfo LayerCache::publish(const LayerInfo& info, const std::string& upper_dir) const {
  if (!is_layer_key(info.key)) throw_input(fmt::format("'{}' is not a layer key", info.key));
  make_dirs(layers_dir(store_));
  // Staged next to the upper (same filesystem, inside the caller's WorkDir), then
  // one rename publishes upper and description together.
  std::string staged = parent_dir(upper_dir) + "/layer-" + info.key;
  make_dirs(staged);
  if (::rename(upper_dir.c_str(), (staged + "/upper").c_str()) != 0)
    throw_errno(fmt::format("move layer upper '{}'", upper_dir));
  LayerInfo stored = info;
  if (stored.created == 0) stored.created = static_cast<std::int64_t>(::time(nullptr));
  write_file_atomic(staged + "/layer.json", encode_layer(stored));

  FileLock lock(store_.lock_path(), LockMode::Exclusive);
  std::string dest = layers_dir(store_) + "/" + info.key;
  if (path_exists(dest)) {
    // Someone else built the same layer meanwhile: same inputs, keep theirs.
    auto existing = find(info.key);
    if (existing) return *existing;
    remove_tree(dest);  // a description-less leftover cannot be trusted
  }
  if (::rename(staged.c_str(), dest.c_str()) != 0)
    throw_errno(fmt::format("publish layer '{}'", dest));
  fsync_dir(layers_dir(store_));
  stored.upper_dir = dest + "/upper";
  return stored;
}

std::vector<LayerInfo> LayerCache::list() const {
  std::vector<LayerInfo> out;
  if (!path_exists(layers_dir(store_))) return out;
  for (const auto& key : list_dir(layers_dir(store_))) {
    if (!is_layer_key(key)) continue;
    try {
      if (auto info = find(key)) out.push_back(*info);
    } catch (const Error&) {
      // An unreadable layer is listed by nobody and collected by gc.
    }
  }
  return out;
}

std::vector<std::string> LayerCache::collect_garbage() const {
  FileLock lock(store_.lock_path(), LockMode::Exclusive);
  std::vector<std::string> removed;
  for (const auto& layer : list()) {
    if (path_exists(store_.snapshot_dir(layer.base_snapshot))) continue;
    remove_tree(layers_dir(store_) + "/" + layer.key);
    removed.push_back(layer.key);
  }
  return removed;
}

}  // namespace cleanroom::store
