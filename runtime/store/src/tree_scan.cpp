#include "tree_scan.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/sha256.h"

namespace cleanroom::store {

namespace {

std::uint32_t to_inside(std::uint32_t host, std::uint32_t base, const IdMap& map, bool strict,
                        const formats::TarEntry& e) {
  // A single-id store belongs to one user; inside, everything is root's.
  if (map.count == 1) return 0;
  if (host >= base && host - base < map.count) return host - base;
  if (strict)
    throw_input(fmt::format("'{}' is owned by id {}, outside the store's id range {}-{}; "
                            "only ids below {} can be mapped into the sandbox",
                            e.path, host, base, std::uint64_t{base} + map.count - 1, map.count));
  return kForeignId;
}

char type_letter(formats::EntryType t) {
  using formats::EntryType;
  switch (t) {
    case EntryType::File: return 'f';
    case EntryType::Directory: return 'd';
    case EntryType::Symlink: return 'l';
    case EntryType::Hardlink: return 'h';
    case EntryType::CharDevice: return 'c';
    case EntryType::BlockDevice: return 'b';
    case EntryType::Fifo: return 'p';
  }
  return '?';
}

}  // namespace

std::vector<formats::TarEntry> scan_snapshot_tree(const std::string& root, const IdMap& map,
                                                  bool strict) {
  std::vector<formats::TarEntry> entries = formats::scan_tree(root);
  // The root directory itself, as ".": its mode and owner matter inside the
  // sandbox, and the extractor applies a "." entry to the destination.
  struct stat st;
  if (::lstat(root.c_str(), &st) != 0) throw_errno("stat '" + root + "'");
  formats::TarEntry top;
  top.path = ".";
  top.type = formats::EntryType::Directory;
  top.mode = st.st_mode & 07777;
  top.uid = st.st_uid;
  top.gid = st.st_gid;
  top.mtime = st.st_mtim.tv_sec;
  entries.insert(entries.begin(), std::move(top));
  for (auto& e : entries) {
    e.uid = to_inside(e.uid, map.host_uid_base, map, strict, e);
    e.gid = to_inside(e.gid, map.host_gid_base, map, strict, e);
    // Host user names and xattrs (security.*, user.* from the host's tools) would
    // make the archive depend on the machine; ids are what the sandbox uses.
    e.uname.clear();
    e.gname.clear();
    e.xattrs.clear();
  }
  return entries;
}

ManifestEntry manifest_entry(const formats::TarEntry& e) {
  ManifestEntry m;
  m.path = e.path.empty() ? "." : e.path;
  m.type = type_letter(e.type);
  m.mode = e.mode;
  m.uid = e.uid;
  m.gid = e.gid;
  if (e.type == formats::EntryType::File) {
    m.size = e.size;
    m.sha256 = e.source_path.empty() ? sha256_hex(e.data) : sha256_file(e.source_path);
  }
  if (e.type == formats::EntryType::Symlink || e.type == formats::EntryType::Hardlink)
    m.target = e.link_target;
  return m;
}

}  // namespace cleanroom::store
