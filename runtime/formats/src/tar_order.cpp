#include "tar_order.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "cleanroom/base/error.h"

namespace cleanroom::formats {

void check_entry_path(const std::string& path) {
  if (path == ".") return;
  bool bad = path.empty() || path.front() == '/' || path.back() == '/';
  std::size_t start = 0;
  while (!bad && start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    bad = part.empty() || part == "." || part == "..";
    start = end + 1;
  }
  if (bad || path.find('\0') != std::string::npos)
    throw_input(
        fmt::format("tar entry '{}': path must be relative and normalized "
                    "(no leading '/', no '.' or '..' parts)",
                    path));
}

bool tar_path_less(const std::string& a, const std::string& b) {
  if (a == ".") return b != ".";
  if (b == ".") return false;
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto key = [](char c) { return c == '/' ? 0 : static_cast<unsigned char>(c) + 1; };
    return key(x) < key(y);
  });
}

std::uint32_t normalized_mode(const TarEntry& entry) {
  switch (entry.type) {
    case EntryType::Directory:
      return 0755;
    case EntryType::Symlink:
      return 0777;
    case EntryType::File:
    case EntryType::Hardlink:
      return (entry.mode & 0111) ? 0755 : 0644;
    default:
      return 0644;
  }
}

namespace {

void apply_options(TarEntry& e, const TarWriteOptions& options) {
  if (options.clamp_mtime && e.mtime > *options.clamp_mtime) e.mtime = *options.clamp_mtime;
  if (options.root_owner) {
    e.uid = e.gid = 0;
    e.uname = e.gname = "root";
    if (auto kept = options.owners.find(e.path); kept != options.owners.end()) {
      e.uid = kept->second.uid;
      e.gid = kept->second.gid;
      e.uname = kept->second.uname;
      e.gname = kept->second.gname;
    }
  }
  if (options.normalize_permissions) e.mode = normalized_mode(e);
  e.mode &= 07777;
  std::sort(e.xattrs.begin(), e.xattrs.end());
  if (e.type != EntryType::File) {
    e.size = 0;
    e.data.clear();
    e.source_path.clear();
  }
  if (e.type != EntryType::Symlink && e.type != EntryType::Hardlink) e.link_target.clear();
  if (e.type != EntryType::CharDevice && e.type != EntryType::BlockDevice)
    e.dev_major = e.dev_minor = 0;
}

void canonicalize_hardlinks(std::vector<TarEntry>& entries) {
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < entries.size(); ++i) position.emplace(entries[i].path, i);

  // Resolve every hardlink to the entry holding the content.
  std::vector<std::size_t> primary(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::size_t at = i;
    for (std::size_t hops = 0; entries[at].type == EntryType::Hardlink; ++hops) {
      auto it = position.find(entries[at].link_target);
      if (it == position.end() || hops > entries.size())
        throw_input(fmt::format("tar entry '{}': hardlink to '{}', which is not in the archive",
                                entries[i].path, entries[at].link_target));
      at = it->second;
    }
    if (at != i && entries[at].type == EntryType::Directory)
      throw_input(fmt::format("tar entry '{}': hardlink to directory '{}'", entries[i].path,
                              entries[at].path));
    primary[i] = at;
  }
  // The first member of each group in path order becomes the content holder.
  std::unordered_map<std::size_t, std::size_t> first;  // primary -> first member
  for (std::size_t i = 0; i < entries.size(); ++i) first.emplace(primary[i], i);
  for (auto [p, f] : first) {
    if (p == f) continue;
    std::string first_path = entries[f].path;
    std::string primary_path = entries[p].path;
    entries[f] = entries[p];
    entries[f].path = first_path;
    TarEntry& old = entries[p];
    old.type = EntryType::Hardlink;
    old.data.clear();
    old.source_path.clear();
    old.size = 0;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].type == EntryType::Hardlink)
      entries[i].link_target = entries[first[primary[i]]].path;
  }
}

}  // namespace

void canonicalize_entries(std::vector<TarEntry>& entries, const TarWriteOptions& options) {
  for (TarEntry& e : entries) {
    check_entry_path(e.path);
    if (e.path == "." && e.type != EntryType::Directory)
      throw_input("tar entry '.': the root entry must be a directory");
    apply_options(e, options);
  }
  std::sort(entries.begin(), entries.end(),
            [](const TarEntry& a, const TarEntry& b) { return tar_path_less(a.path, b.path); });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].path == entries[i - 1].path)
      throw_input(fmt::format("tar entry '{}': appears twice", entries[i].path));
  }
  canonicalize_hardlinks(entries);
  if (options.symlinks_last)
    std::stable_partition(entries.begin(), entries.end(),
                          [](const TarEntry& e) { return e.type != EntryType::Symlink; });
}

}  // namespace cleanroom::formats
