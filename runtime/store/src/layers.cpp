#include "cleanroom/store/layers.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
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
#include "disk_usage.h"
#include "in_use_lock.h"
#include "retired_dir.h"

namespace cleanroom::store {

namespace {
std::string layers_dir(const Store& store) { return store.path() + "/layers"; }

bool is_layer_key(const std::string& key) { return is_snapshot_id(key); }

std::string in_use_path(const Store& store, const std::string& key) {
  return store.in_use_path("layer-" + key);
}

// The caller holds the store lock.
void hold(const Store& store, LayerInfo& info) {
  std::string path = in_use_path(store, info.key);
  info.in_use = hold_in_use(path);
  if (!info.in_use) return;
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // the last use is now
  info.last_used = static_cast<std::int64_t>(::time(nullptr));
}
}  // namespace

std::string encode_layer(const LayerInfo& info) {
  nlohmann::json j = {{"format_version", kLayerVersion}, {"key", info.key},
                      {"base_snapshot", info.base_snapshot}, {"request", info.request},
                      {"packages", info.packages}, {"created", info.created}};
  if (info.size != 0) j["size"] = info.size;
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
    info.size = j.value("size", std::uint64_t{0});
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
  struct stat st;
  info.last_used = ::stat(in_use_path(store_, key).c_str(), &st) == 0
                       ? std::max<std::int64_t>(st.st_mtime, info.created)
                       : info.created;
  return info;
}

std::optional<LayerInfo> LayerCache::use(const std::string& key) const {
  FileLock lock(store_.lock_path(), LockMode::Shared);
  auto info = find(key);
  if (info) hold(store_, *info);
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
  // A layer never changes once published: its size is measured once.
  stored.size = store::disk_usage(staged + "/upper");
  write_file_atomic(staged + "/layer.json", encode_layer(stored));

  FileLock lock(store_.lock_path(), LockMode::Exclusive);
  std::string dest = layers_dir(store_) + "/" + info.key;
  if (path_exists(dest)) {
    // Someone else built the same layer meanwhile: same inputs, keep theirs.
    auto existing = find(info.key);
    if (existing) {
      hold(store_, *existing);
      return *existing;
    }
    remove_tree(dest);  // a description-less leftover cannot be trusted
  }
  if (::rename(staged.c_str(), dest.c_str()) != 0)
    throw_errno(fmt::format("publish layer '{}'", dest));
  fsync_dir(layers_dir(store_));
  stored.upper_dir = dest + "/upper";
  hold(store_, stored);
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

std::uint64_t LayerCache::disk_usage(const LayerInfo& info) const {
  // Layers published before sizes were recorded are measured each time.
  return info.size != 0 ? info.size : store::disk_usage(info.upper_dir);
}

std::vector<std::string> choose_layers_to_prune(std::vector<LayerUse> layers,
                                                const PrunePolicy& policy, std::int64_t now) {
  std::sort(layers.begin(), layers.end(), [](const LayerUse& a, const LayerUse& b) {
    return a.last_used != b.last_used ? a.last_used < b.last_used : a.key < b.key;
  });
  std::vector<std::string> chosen;
  std::uint64_t kept_bytes = 0;
  std::vector<const LayerUse*> kept;
  for (const auto& l : layers) {
    bool stale = policy.older_than_seconds > 0 && now - l.last_used >= policy.older_than_seconds;
    if (!l.base_exists || stale) {
      chosen.push_back(l.key);
    } else {
      kept.push_back(&l);
      kept_bytes += l.bytes;
    }
  }
  // Least recently used first, until the rest fit.
  for (const LayerUse* l : kept) {
    if (policy.max_bytes == 0 || kept_bytes <= policy.max_bytes) break;
    chosen.push_back(l->key);
    kept_bytes -= l->bytes;
  }
  return chosen;
}

PruneResult LayerCache::prune(const PrunePolicy& policy, std::int64_t now, bool dry_run) const {
  PruneResult result;
  std::vector<RetiredDir> retired;
  {
    FileLock lock(store_.lock_path(), LockMode::Exclusive);
    std::vector<LayerUse> uses;
    for (const auto& layer : list())
      uses.push_back({layer.key, path_exists(store_.snapshot_dir(layer.base_snapshot)),
                      layer.last_used, disk_usage(layer)});
    auto bytes_of = [&](const std::string& key) {
      return std::find_if(uses.begin(), uses.end(), [&](const LayerUse& u) { return u.key == key; })
          ->bytes;
    };
    for (const auto& key : choose_layers_to_prune(uses, policy, now)) {
      FileLock unused = FileLock::try_lock(in_use_path(store_, key), LockMode::Exclusive);
      if (!unused.valid()) {
        result.in_use.push_back(key);
        continue;
      }
      result.removed.push_back(key);
      result.freed_bytes += bytes_of(key);
      if (dry_run) continue;
      retired.push_back(retire_dir(store_, layers_dir(store_) + "/" + key, "layer-" + key.substr(0, 16)));
      ::unlink(in_use_path(store_, key).c_str());
    }
  }
  for (const auto& r : retired) delete_retired(r);
  return result;
}

}  // namespace cleanroom::store
