#include "cleanroom/package/wheel_cache.h"

#include <cerrno>
#include <cstdio>
#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/distribution.h"

namespace cleanroom::build {

namespace {
std::string cache_dir(const store::Store& store) { return store.path() + "/wheels"; }
}  // namespace

std::string wheel_cache_key(const WheelBuildInputs& in) {
  HashKey key("cleanroom-wheel/v1");
  key.add(in.sdist_sha256).add(in.snapshot_id).add(in.layer_key).add(in.arch).add(in.python_version);
  key.add(in.script).add(static_cast<std::uint64_t>(in.env.size()));
  for (const auto& e : in.env) key.add(e);
  return key.hex();
}

std::optional<CachedWheel> find_cached_wheel(const store::Store& store, const std::string& key) {
  std::string dir = cache_dir(store) + "/" + key;
  if (!path_exists(dir)) return std::nullopt;
  try {
    auto names = python::list_directory(dir);
    if (names.size() != 1 || !names[0].ends_with(".whl")) return std::nullopt;
    CachedWheel wheel{names[0], read_file(dir + "/" + names[0])};
    ::utimensat(AT_FDCWD, dir.c_str(), nullptr, 0);  // last use, for prune
    return wheel;
  } catch (const Error&) {
    return std::nullopt;  // pruned while we looked: build it
  }
}

void store_cached_wheel(const store::Store& store, const std::string& key, const CachedWheel& wheel) {
  std::string root = cache_dir(store);
  make_dirs(root);
  std::string dir = root + "/" + key;
  if (path_exists(dir)) return;
  std::string tmp = fmt::format("{}/.tmp-{}-{}", root, key.substr(0, 16), ::getpid());
  remove_tree(tmp);
  make_dirs(tmp);
  write_file_atomic(tmp + "/" + wheel.name, wheel.bytes);
  if (std::rename(tmp.c_str(), dir.c_str()) != 0) {
    int err = errno;
    remove_tree(tmp);
    if (err != EEXIST && err != ENOTEMPTY)
      throw_errno(fmt::format("store the wheel '{}' in '{}'", wheel.name, dir), err,
                  ErrorKind::Environment);
  }
}

WheelPruneResult prune_cached_wheels(const store::Store& store, std::int64_t older_than_seconds,
                                     std::int64_t now, bool dry_run) {
  WheelPruneResult result;
  std::string root = cache_dir(store);
  if (!path_exists(root)) return result;
  for (const auto& key : python::list_directory(root)) {
    if (key.empty() || key[0] == '.') continue;
    std::string dir = root + "/" + key;
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (now - st.st_mtime < older_than_seconds) continue;
    std::uint64_t bytes = 0;
    for (const auto& name : python::list_directory(dir)) {
      struct stat f {};
      if (::lstat((dir + "/" + name).c_str(), &f) == 0) bytes += static_cast<std::uint64_t>(f.st_size);
    }
    if (!dry_run) {
      std::string doomed = fmt::format("{}/.prune-{}-{}", root, key.substr(0, 16), ::getpid());
      if (std::rename(dir.c_str(), doomed.c_str()) != 0) continue;
      remove_tree(doomed);
    }
    result.removed.push_back(key);
    result.freed_bytes += bytes;
  }
  return result;
}

}  // namespace cleanroom::build
