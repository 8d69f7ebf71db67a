#include "deb_md5sums.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>

#include "cleanroom/base/digest.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::formats {

std::string md5_file_hex(const std::string& path) {
  return file_digest_hex(DigestKind::Md5, path, O_NOFOLLOW);
}

std::string make_md5sums(const std::vector<TarEntry>& data_entries,
                         const std::set<std::string>& conffiles) {
  // Hardlinks count as files (find -type f sees every name), hashed through
  // the entry that holds their content.
  std::map<std::string, std::string> sources;
  for (const TarEntry& e : data_entries)
    if (e.type == EntryType::File) sources.emplace(e.path, e.source_path);
  std::vector<std::pair<std::string, std::string>> lines;  // path, source
  for (const TarEntry& e : data_entries) {
    if (e.type == EntryType::File) lines.emplace_back(e.path, e.source_path);
    auto it = sources.find(e.link_target);
    if (e.type == EntryType::Hardlink && it != sources.end())
      lines.emplace_back(e.path, it->second);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& [path, source] : lines) {
    if (conffiles.count("/" + path)) continue;
    out += md5_file_hex(source) + "  " + path + "\n";
  }
  return out;
}

}  // namespace cleanroom::formats
