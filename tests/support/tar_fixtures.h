// Trees and raw archives for the archive tests. Raw archives are written with
// libarchive directly, so hostile ones (absolute names, "..", planted symlinks)
// can be made that our own writer would refuse to produce.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"

namespace cleanroom::test {

struct RawEntry {
  std::string name;
  mode_t type = AE_IFREG;
  std::string data;
  std::string symlink;
  std::string hardlink;
  unsigned mode = 0644;
};

// A tar with exactly these headers, in this order.
inline std::string raw_tar(const std::vector<RawEntry>& entries, bool gzip = false) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_open2(
      a, &out, nullptr,
      [](archive*, void* d, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(d)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr, nullptr);
  for (const RawEntry& r : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_copy_pathname(e, r.name.c_str());
    archive_entry_set_filetype(e, r.type);
    archive_entry_set_perm(e, r.mode);
    if (!r.symlink.empty()) archive_entry_copy_symlink(e, r.symlink.c_str());
    if (!r.hardlink.empty()) archive_entry_copy_hardlink(e, r.hardlink.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(r.data.size()));
    if (archive_write_header(a, e) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
    if (!r.data.empty()) archive_write_data(a, r.data.data(), r.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

inline void put_file(const std::string& path, const std::string& data, unsigned mode = 0644) {
  make_dirs(parent_dir(path));
  write_file_atomic(path, data, mode);
  ::chmod(path.c_str(), mode);
}

// Names in dir, recursively, "" when empty: to prove nothing landed there.
inline std::vector<std::string> list_tree(const std::string& dir) {
  std::vector<std::string> out;
  std::vector<std::string> todo{""};
  while (!todo.empty()) {
    std::string rel = todo.back();
    todo.pop_back();
    std::string abs = rel.empty() ? dir : dir + "/" + rel;
    if (auto* d = ::opendir(abs.c_str())) {
      while (auto* ent = ::readdir(d)) {
        std::string n = ent->d_name;
        if (n == "." || n == "..") continue;
        std::string r = rel.empty() ? n : rel + "/" + n;
        out.push_back(r);
        if (ent->d_type == DT_DIR) todo.push_back(r);
      }
      ::closedir(d);
    }
  }
  return out;
}

}  // namespace cleanroom::test
