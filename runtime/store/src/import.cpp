// Publishing: tree -> snapshot.tar.zst -> id -> snapshots/<id>. See import.h for
// the sequence; the comments here say why each step is where it is.
#include "cleanroom/store/import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <optional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_lock.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/progress.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/store/chroot_definition.h"
#include "cleanroom/store/manifest.h"
#include "cleanroom/store/names.h"
#include "cleanroom/store/tree_facts.h"
#include "cleanroom/store/work_dir.h"
#include "tree_scan.h"

namespace cleanroom::store {

namespace {

// zstd level for snapshot archives: the archive is written once per snapshot and
// read only by export; level 19 would spend minutes on a 400 MB chroot for a
// few percent of size.
constexpr int kSnapshotZstdLevel = 6;

// As root the tree holds the ids the sandbox will see (0..count-1), unshifted;
// as a user every file is the user's. Either way this map reads it as inside ids.
IdMap unshifted_map(const IdMap& store_map) {
  return store_map.count == 1 ? store_map : IdMap{0, 0, store_map.count};
}

void write_archive(std::vector<formats::TarEntry> entries, const std::string& file,
                   std::int64_t epoch) {
  UniqueFd fd = open_fd(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
  formats::TarWriteOptions options;
  options.compression = formats::Compression::Zstd;
  options.level = kSnapshotZstdLevel;
  options.clamp_mtime = epoch;
  std::uint64_t total = 0;
  for (const auto& e : entries) total += e.size;
  Progress progress("pack snapshot", total, "B");
  options.on_entry = [&](std::uint64_t bytes, const std::string&) { progress.advance(bytes); };
  formats::write_tar(std::move(entries), fd.get(), options);
  progress.finish();
  if (::fsync(fd.get()) != 0) throw_errno("fsync '" + file + "'");
  fd.close(file.c_str());
}

// lchown to base+id; chown clears setuid/setgid bits, so the mode is set again.
void shift_owners(const std::string& tree, const std::vector<formats::TarEntry>& entries,
                  const IdMap& map) {
  for (const auto& e : entries) {
    std::string path = (e.path.empty() || e.path == ".") ? tree : tree + "/" + e.path;
    if (::lchown(path.c_str(), map.host_uid_base + e.uid, map.host_gid_base + e.gid) != 0)
      throw_errno(fmt::format("chown '{}' to {}:{}", path, map.host_uid_base + e.uid,
                              map.host_gid_base + e.gid));
    if (e.type != formats::EntryType::Symlink && ::chmod(path.c_str(), e.mode) != 0)
      throw_errno(fmt::format("chmod '{}'", path));
  }
}

// What the suite's chroot definition says; xz (which every dpkg reads) for
// suites without one.
std::string deb_compression_for(const std::string& suite) {
  if (suite.empty()) return "xz";
  try {
    return load_chroot_definition(chroot_definitions_dir(), suite).deb_compression;
  } catch (const Error&) {
    return "xz";
  }
}

}  // namespace

std::int64_t source_date_epoch_from_env() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (!v || !*v) return kDefaultSourceDateEpoch;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v, &end, 10);
  if (errno != 0 || *end != '\0' || n < 0)
    throw_input(fmt::format("SOURCE_DATE_EPOCH='{}' is not a non-negative integer (seconds "
                            "since 1970)", v));
  return n;
}

Published publish_tree(Store& store, const WorkDir& work, const PublishRequest& request) {
  validate_name(request.name);
  const IdMap map = store.id_map();
  std::string staged = work.path() + "/snapshot";
  make_dirs(staged, 0755);
  std::string tree = staged + "/root";
  if (::rename(request.tree.c_str(), tree.c_str()) != 0)
    throw_errno(fmt::format("move '{}' to '{}'", request.tree, tree));

  // A chroot's / is root's and 0755 whatever the archive (or the umask at
  // extraction) said; anything else would make the id depend on it.
  if (map.count > 1 && ::lchown(tree.c_str(), 0, 0) != 0) throw_errno("chown '" + tree + "'");
  if (::chmod(tree.c_str(), 0755) != 0) throw_errno("chmod '" + tree + "'");
  auto entries = scan_snapshot_tree(tree, unshifted_map(map), true);
  std::vector<ManifestEntry> manifest;
  manifest.reserve(entries.size());
  std::uint64_t size = 0;
  for (const auto& e : entries) {
    manifest.push_back(manifest_entry(e));
    size += manifest.back().size;
  }
  std::string archive = staged + "/snapshot.tar.zst";
  write_archive(entries, archive, request.meta.source_date_epoch);
  std::string id = sha256_file(archive);

  SnapshotMeta meta = request.meta;
  meta.id = id;
  meta.size = size;
  meta.entries = manifest.size();
  meta.created = static_cast<std::int64_t>(std::time(nullptr));
  write_file_atomic(staged + "/manifest", encode_manifest(std::move(manifest)));
  write_file_atomic(staged + "/meta.json", encode_meta(meta));
  if (map.count > 1) shift_owners(tree, entries, map);

  std::string replaced;
  {
    FileLock lock(store.lock_path(), LockMode::Exclusive);
    std::string dest = store.snapshot_dir(id);
    // A name left on a snapshot that is gone points nowhere: taking it moves nothing.
    std::optional<std::string> old = store.read_alias(request.name);
    if (old && *old != id && path_exists(store.snapshot_dir(*old))) {
      if (!request.replace)
        throw_input(fmt::format(
            "snapshot name '{}' already names snapshot {}, and the new one is {}; nothing was "
            "changed. Give --force to move the name to the new snapshot (the old one stays, "
            "unnamed, until `cleanroom snapshot gc`), or choose another --name",
            request.name, old->substr(0, 12), id.substr(0, 12)));
      replaced = *old;
    }
    if (path_exists(dest)) {
      log::info(fmt::format("snapshot {} is already in the store; reusing it", id.substr(0, 12)));
    } else {
      if (::rename(staged.c_str(), dest.c_str()) != 0)
        throw_errno(fmt::format("move '{}' to '{}'", staged, dest));
      fsync_dir(parent_dir(dest));
    }
    store.write_alias(request.name, id);
  }
  return {store.resolve(id), replaced};
}

std::uint64_t unpacked_budget(std::uint64_t archive_size) {
  constexpr std::uint64_t floor = std::uint64_t{256} << 20;
  if (archive_size > formats::kExtractMaxBytes / 100) return formats::kExtractMaxBytes;
  return std::max(floor, archive_size * 100);
}

Published import_archive(Store& store, const ImportRequest& request) {
  validate_name(request.name);
  if (!request.meta.suite.empty()) validate_suite_name(request.meta.suite, "--suite");
  struct stat st;
  if (::stat(request.archive.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw_input(fmt::format("archive '{}' is not a readable file", request.archive));
  if (!formats::compression_from_name(request.archive))
    throw_input(fmt::format("archive '{}': unknown kind; expected .tar, .tar.zst, .tar.xz or "
                            ".tar.gz", request.archive));
  WorkDir work(store);
  std::string tree = work.path() + "/extract";
  make_dirs(tree, 0755);
  formats::ExtractOptions options;
  // As root keep the archive's owners (shifted later, after packing); as a user
  // everything becomes the user's and is seen as root inside.
  if (store.id_map().count > 1) options.owner_offset = 0;
  options.max_total_bytes = request.max_unpacked ? request.max_unpacked
                                                 : unpacked_budget(static_cast<std::uint64_t>(st.st_size));
  options.how_to_raise = "bomb guard; --max-unpacked raises it";
  with_context("import '" + request.archive + "'",
               [&] { formats::extract_tar(request.archive, tree, options); });
  if (request.prepare) request.prepare(tree);
  PublishRequest publish{tree, request.name, request.meta, request.replace};
  if (publish.meta.origin.empty()) publish.meta.origin = "import " + request.archive;
  TreeFacts facts = read_tree_facts(tree);
  if (publish.meta.suite.empty()) {
    // The tree is the archive's: its codename is as untrusted as the rest.
    if (!facts.suite.empty())
      validate_suite_name(facts.suite, "'" + request.archive + "': os-release VERSION_CODENAME");
    publish.meta.suite = facts.suite;
  }
  if (publish.meta.arch.empty()) publish.meta.arch = facts.arch;
  if (publish.meta.deb_compression.empty())
    publish.meta.deb_compression = deb_compression_for(publish.meta.suite);
  return publish_tree(store, work, publish);
}

}  // namespace cleanroom::store
