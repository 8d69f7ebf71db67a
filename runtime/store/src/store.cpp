// The store's directory layout, its store.json, names and removal. Every change
// happens under an exclusive flock on <store>/lock; readers take it shared only
// while they read. Work happens in <store>/tmp and reaches snapshots/ by rename,
// so a reader never sees a half-made snapshot.
#include "cleanroom/store/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/closest_name.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_lock.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/store/id_map.h"
#include "cleanroom/store/meta.h"
#include "cleanroom/store/names.h"
#include "in_use_lock.h"
#include "retired_dir.h"

namespace cleanroom::store {

namespace {

// A directory the store has not made yet lists as empty.
std::vector<std::string> list_dir_if_present(const std::string& dir) {
  try {
    return list_dir(dir);
  } catch (const Error& e) {
    if (e.error_number() == ENOENT) return {};
    throw;
  }
}

std::string encode_store_json(const IdMap& m) {
  nlohmann::ordered_json j;
  j["format_version"] = kStoreVersion;
  j["id_map"] = {{"host_uid_base", m.host_uid_base},
                 {"host_gid_base", m.host_gid_base},
                 {"count", m.count}};
  if (m.subordinate()) {
    j["id_map"]["sub_uid_base"] = m.sub_uid_base;
    j["id_map"]["sub_gid_base"] = m.sub_gid_base;
  }
  return j.dump(2) + "\n";
}

IdMap decode_store_json(const std::string& text, const std::string& file) {
  try {
    auto j = nlohmann::json::parse(text);
    int version = j.at("format_version").get<int>();
    if (version > kStoreVersion)
      throw_input(fmt::format("{}: format_version {} is newer than this cleanroom reads ({}); "
                              "upgrade cleanroom",
                              file, version, kStoreVersion));
    const auto& m = j.at("id_map");
    IdMap map{m.at("host_uid_base").get<std::uint32_t>(),
              m.at("host_gid_base").get<std::uint32_t>(), m.at("count").get<std::uint32_t>()};
    map.sub_uid_base = m.value("sub_uid_base", std::uint32_t{0});
    map.sub_gid_base = m.value("sub_gid_base", std::uint32_t{0});
    if (map.subordinate() != (map.sub_gid_base != 0) || (map.subordinate() && map.count < 2))
      throw_input(fmt::format("{}: id_map: sub_uid_base and sub_gid_base go together, with a "
                              "count of at least 2", file));
    return map;
  } catch (const nlohmann::json::exception& e) {
    throw_input(fmt::format("{}: not a valid store.json: {}", file, e.what()));
  }
}

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Store::Store(std::string path) : path_(std::move(path)) {
  while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
  try {
    create_layout();
  } catch (const Error& e) {
    int err = e.error_number();
    if (err == EACCES || err == EROFS || err == EPERM)
      throw Error(ErrorKind::Input,
                  fmt::format("store '{}': {}; choose a writable store with --store DIR or "
                              "CLEANROOM_STORE",
                              path_, e.what()),
                  err);
    throw e.with_context("store '" + path_ + "'");
  }
  // Before anything reads or removes files the store's other ids own.
  enter_id_map();
  try {
    remove_stale_work_dirs();
  } catch (const Error& e) {
    throw e.with_context("store '" + path_ + "'");
  }
}

void Store::create_layout() {
  make_dirs(path_, 0755);
  for (const char* sub : {"/snapshots", "/names", "/tmp", "/in-use"}) make_dirs(path_ + sub, 0755);
  std::string json = path_ + "/store.json";
  if (!path_exists(json)) {
    FileLock lock(lock_path(), LockMode::Exclusive);
    // The id map is chosen once, when the store is born: the files in it are owned
    // by those host ids, so it must never change afterwards.
    if (!path_exists(json)) write_file_atomic(json, encode_store_json(select_id_map(current_host_identity())));
  }
  recorded_ = decode_store_json(read_file(json), json);
  restrict_access();
}

// Snapshots hold setuid programs owned by the sandbox's root: a local user who
// reached one would act as that id, which owns every stored tree. So only the
// owner gets in and, in root's store, the store's own group, whose id the
// sandbox runs as and must traverse with to reach its lower dirs.
void Store::restrict_access() const {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) throw_errno("stat '" + path_ + "'");
  if (st.st_uid != ::geteuid()) return;  // not ours to change; opening it will tell
  bool shared_with_sandbox = host_user().root() && recorded_.count > 1;
  mode_t mode = shared_with_sandbox ? 0750 : 0700;
  if (shared_with_sandbox && st.st_gid != recorded_.host_gid_base &&
      ::chown(path_.c_str(), static_cast<uid_t>(-1), recorded_.host_gid_base) != 0)
    throw_errno("chown '" + path_ + "'");
  if ((st.st_mode & 07777) != mode && ::chmod(path_.c_str(), mode) != 0)
    throw_errno("chmod '" + path_ + "'");
}

void Store::enter_id_map() {
  HostUser me = host_user();
  if (recorded_.subordinate()) {
    if (me.uid != recorded_.host_uid_base || me.gid != recorded_.host_gid_base)
      throw_input(fmt::format("store '{}' belongs to user {}:{} and its subordinate ids; run as "
                              "that user, or use another store (--store DIR)",
                              path_, recorded_.host_uid_base, recorded_.host_gid_base));
    check_subordinate_range_still_given(recorded_, current_host_identity(), path_);
    enter_user_namespace({recorded_.host_uid_base, recorded_.host_gid_base, recorded_.sub_uid_base,
                          recorded_.sub_gid_base, recorded_.count});
  } else if (!me.root() && recorded_.count > 1) {
    throw_input(fmt::format("store '{}' was made by root (its files belong to host ids {}-{}); "
                            "as a user, use your own store: --store DIR or CLEANROOM_STORE",
                            path_, recorded_.host_uid_base,
                            std::uint64_t{recorded_.host_uid_base} + recorded_.count - 1));
  }
}

void Store::remove_stale_work_dirs() {
  // Stale dirs are claimed (their owner.lock taken) under the store lock, which
  // keeps out a WorkDir being born without its lock yet; they are deleted after
  // the store lock is released, so a big leftover tree never blocks others.
  std::vector<std::pair<std::string, std::optional<FileLock>>> claimed;
  {
    FileLock store_lock = FileLock::try_lock(lock_path(), LockMode::Exclusive);
    if (!store_lock.valid()) return;  // someone is changing the store; clean up next time
    for (const auto& name : list_dir_if_present(tmp_dir())) {
      std::string dir = tmp_dir() + "/" + name;
      struct stat st;
      if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
      // Never created here: its owner may be removing the dir right now.
      std::optional<FileLock> owner =
          FileLock::try_lock_existing(dir + "/owner.lock", LockMode::Exclusive);
      if (owner && !owner->valid()) continue;  // alive
      // No lock file: gone meanwhile, or its process died before making it
      // (no WorkDir is born while this lock is held).
      if (!owner && ::lstat(dir.c_str(), &st) != 0) continue;
      claimed.emplace_back(dir, std::move(owner));
    }
    // AtomicFile temporaries of a killed process (".<name>.tmp-XXXX").
    for (const auto& name : list_dir_if_present(path_ + "/names"))
      if (name[0] == '.' && name.find(".tmp-") != std::string::npos)
        ::unlink((path_ + "/names/" + name).c_str());
  }
  for (const auto& [dir, lock] : claimed) {
    log::debug(fmt::format("removing stale work directory '{}'", dir));
    try {
      remove_tree(dir);
    } catch (const Error& e) {
      // Another process may be removing it too; whatever is left goes next time.
      log::debug(fmt::format("stale work directory '{}': {}", dir, e.what()));
    }
  }
}
IdMap Store::id_map() const {
  // In the namespace a subordinate store entered, its ids are 0..count-1 as they are.
  return recorded_.subordinate() ? IdMap{0, 0, recorded_.count} : recorded_;
}

std::optional<std::string> Store::read_alias(const std::string& name) const {
  std::string file = alias_path(name);
  if (!path_exists(file)) return std::nullopt;
  return trim_newline(read_file(file));
}

void Store::write_alias(const std::string& name, const std::string& id) const {
  validate_name(name);
  write_file_atomic(alias_path(name), id + "\n");
}

namespace {

struct StoreIndex {
  std::map<std::string, std::string> aliases;  // name -> id
  std::vector<std::string> ids;
};

StoreIndex read_index(const Store& store) {
  StoreIndex index;
  for (const auto& name : list_dir_if_present(store.path() + "/names")) {
    if (name[0] == '.') continue;
    if (auto id = store.read_alias(name)) index.aliases[name] = *id;
  }
  for (const auto& id : list_dir_if_present(store.path() + "/snapshots"))
    if (is_snapshot_id(id)) index.ids.push_back(id);
  return index;
}

SnapshotInfo info_for(const Store& store, const StoreIndex& index, const std::string& id) {
  std::string dir = store.snapshot_dir(id);
  SnapshotMeta m = decode_meta(read_file(dir + "/meta.json"), dir + "/meta.json");
  SnapshotInfo info;
  info.id = id;
  for (const auto& [name, target] : index.aliases)
    if (target == id) info.names.push_back(name);
  info.suite = m.suite;
  info.arch = m.arch;
  info.root_dir = dir + "/root";
  info.size = m.size;
  info.created = m.created;
  info.deb_compression = m.deb_compression;
  info.mirror = m.mirror;
  info.origin = m.origin;
  return info;
}

std::string available_list(const StoreIndex& index) {
  std::string list;
  for (const auto& [name, id] : index.aliases)
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", name, id.substr(0, 12));
  for (const auto& id : index.ids) {
    bool named = std::any_of(index.aliases.begin(), index.aliases.end(),
                             [&](const auto& a) { return a.second == id; });
    if (!named) list += fmt::format("{}{}", list.empty() ? "" : ", ", id.substr(0, 12));
  }
  return list.empty() ? "none" : list;
}

std::string resolve_id(const Store& store, const StoreIndex& index, const std::string& name_or_id) {
  std::string id = match_snapshot(name_or_id, index.aliases, index.ids);
  if (id.empty()) {
    std::vector<std::string> names;
    for (const auto& alias : index.aliases) names.push_back(alias.first);
    std::string meant = closest_name(name_or_id, names);
    throw_input(fmt::format("no snapshot '{}' in store '{}'; {}available: {}; create one with: "
                            "cleanroom snapshot create SUITE",
                            name_or_id, store.path(),
                            meant.empty() ? "" : fmt::format("did you mean '{}'? ", meant),
                            available_list(index)));
  }
  if (std::find(index.ids.begin(), index.ids.end(), id) == index.ids.end())
    throw_input(fmt::format("name '{}' in store '{}' points at snapshot {} which is missing; "
                            "remove the name with: cleanroom snapshot rm {}",
                            name_or_id, store.path(), id.substr(0, 12), name_or_id));
  return id;
}

}  // namespace

SnapshotInfo Store::resolve(const std::string& name_or_id) const {
  FileLock lock(lock_path(), LockMode::Shared);
  StoreIndex index = read_index(*this);
  return info_for(*this, index, resolve_id(*this, index, name_or_id));
}

SnapshotInfo Store::use(const std::string& name_or_id) const {
  FileLock lock(lock_path(), LockMode::Shared);
  StoreIndex index = read_index(*this);
  SnapshotInfo info = info_for(*this, index, resolve_id(*this, index, name_or_id));
  info.in_use = hold_in_use(in_use_path(info.id));
  return info;
}

std::vector<SnapshotInfo> Store::list() const {
  FileLock lock(lock_path(), LockMode::Shared);
  StoreIndex index = read_index(*this);
  std::vector<SnapshotInfo> out;
  for (const auto& id : index.ids) out.push_back(info_for(*this, index, id));
  std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
    if (a.names.empty() != b.names.empty()) return b.names.empty();
    if (!a.names.empty() && a.names.front() != b.names.front())
      return a.names.front() < b.names.front();
    return a.id < b.id;
  });
  return out;
}

namespace {

// Exclusive hold of a snapshot's in-use lock, or nothing when a sandbox or a
// build holds it shared.
FileLock claim_unused(const Store& store, const std::string& id) {
  return FileLock::try_lock(store.in_use_path(id), LockMode::Exclusive);
}

RetiredDir retire_snapshot_dir(const Store& store, const std::string& id) {
  return retire_dir(store, store.snapshot_dir(id), id.substr(0, 16));
}

void remove_alias_file(const Store& store, const std::string& name) {
  std::string file = store.alias_path(name);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) throw_errno("remove '" + file + "'");
}

}  // namespace

RemoveResult Store::remove(const std::string& name_or_id, bool force) {
  RemoveResult result;
  std::optional<RetiredDir> retired;
  {
    FileLock lock(lock_path(), LockMode::Exclusive);
    StoreIndex index = read_index(*this);
    bool is_alias = index.aliases.count(name_or_id) > 0;
    std::string id = is_alias ? index.aliases[name_or_id] : resolve_id(*this, index, name_or_id);
    std::vector<std::string> others;
    for (const auto& [name, target] : index.aliases)
      if (target == id && name != name_or_id) others.push_back(name);

    if (!is_alias && !others.empty() && !force) {
      throw_input(fmt::format("snapshot {} still has names ({}); remove those or use --force",
                              id.substr(0, 12), join(others, ", ")));
    }
    // A name may point at a snapshot that is gone; removing the name is all then.
    bool retire = (others.empty() || force) &&
                  std::find(index.ids.begin(), index.ids.end(), id) != index.ids.end();
    // Checked before anything changes: an in-use snapshot keeps its names too.
    std::optional<FileLock> unused;
    if (retire) {
      unused.emplace(claim_unused(*this, id));
      if (!unused->valid())
        throw_failure(fmt::format("snapshot {} is in use by a running sandbox or build; "
                                  "remove it when that has finished", id.substr(0, 12)));
    }
    if (is_alias) {
      remove_alias_file(*this, name_or_id);
      result.removed_names.push_back(name_or_id);
    }
    if (others.empty() || force) {
      for (const auto& n : others) {
        remove_alias_file(*this, n);
        result.removed_names.push_back(n);
      }
    }
    if (retire) {
      retired.emplace(retire_snapshot_dir(*this, id));
      ::unlink(in_use_path(id).c_str());
      result.removed_id = id;
    }
    fsync_dir(path_ + "/names");
  }
  if (retired) delete_retired(*retired);
  return result;
}

Garbage Store::find_garbage(std::int64_t grace_seconds, bool all, std::int64_t now) const {
  Garbage garbage;
  for (auto& s : list()) {
    if (!s.names.empty()) continue;
    bool due = all || now - s.created >= grace_seconds;
    (due ? garbage.due : garbage.young).push_back(std::move(s));
  }
  return garbage;
}

std::vector<std::string> Store::collect_garbage(const std::vector<std::string>& ids) {
  std::vector<std::string> removed;
  std::vector<RetiredDir> retired;
  {
    FileLock lock(lock_path(), LockMode::Exclusive);
    StoreIndex index = read_index(*this);
    for (const auto& id : ids) {
      // Named since it was found, or already gone: not garbage any more.
      if (std::find(index.ids.begin(), index.ids.end(), id) == index.ids.end()) continue;
      bool named = std::any_of(index.aliases.begin(), index.aliases.end(),
                               [&](const auto& a) { return a.second == id; });
      if (named) continue;
      FileLock unused = claim_unused(*this, id);
      if (!unused.valid()) continue;  // in use: the next gc takes it
      retired.push_back(retire_snapshot_dir(*this, id));
      ::unlink(in_use_path(id).c_str());
      removed.push_back(id);
    }
  }
  for (const auto& r : retired) delete_retired(r);
  return removed;
}

}  // namespace cleanroom::store
