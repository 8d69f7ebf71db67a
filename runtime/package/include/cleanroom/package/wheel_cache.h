// Wheels built from sdists, kept in the store by everything that decides
// their bytes, so that a wheelhouse whose release bumps one library rebuilds
// one wheel. An entry is the normalized wheel exactly as the wheelhouse ships
// it: a wheelhouse made from cached wheels is byte-identical to one built cold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/store/store.h"

namespace cleanroom::build {

// What decides a wheel's bytes: the sdist, where it is built (snapshot and
// dependency layer, architecture), how (the build script and its environment,
// which carry the build path, [build_env] and SOURCE_DATE_EPOCH).
struct WheelBuildInputs {
  std::string sdist_sha256;
  std::string snapshot_id;
  std::string layer_key;
  std::string arch;
  std::string python_version;
  std::string script;
  std::vector<std::string> env;
};

std::string wheel_cache_key(const WheelBuildInputs& inputs);

struct CachedWheel {
  std::string name;   // the wheel's file name
  std::string bytes;  // normalized
};

// <store>/wheels/<key>/<name>; nullopt when there is none (or prune took it
// meanwhile). A hit marks the entry used now.
std::optional<CachedWheel> find_cached_wheel(const store::Store& store, const std::string& key);
// Stores the entry whole or not at all (a directory renamed into place); a
// concurrent build that stored the same key first wins, with the same bytes.
void store_cached_wheel(const store::Store& store, const std::string& key, const CachedWheel& wheel);

struct WheelPruneResult {
  std::vector<std::string> removed;  // keys
  std::uint64_t freed_bytes = 0;
};
// Removes the entries not used for older_than_seconds (each renamed away
// first, so a build reading the cache sees an entry whole or not at all).
WheelPruneResult prune_cached_wheels(const store::Store& store, std::int64_t older_than_seconds,
                                     std::int64_t now, bool dry_run);

}  // namespace cleanroom::build
