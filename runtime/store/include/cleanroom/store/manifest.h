// The manifest of a snapshot: one line per entry of its tree (path, type, mode,
// owner inside the sandbox, size, SHA-256 of the content or the link target),
// written when the snapshot is published and compared by `snapshot verify`.
//
// Format (text, one record per line, fields separated by one tab):
//   cleanroom-manifest 1
//   <path> <type> <mode> <uid> <gid> <size> <sha256|-> <target|->
// type is one letter: f file, d directory, l symlink, h hardlink, c/b device,
// p fifo. mode is octal. Paths and targets escape '\\', tab, newline and bytes
// outside printable ASCII as \xNN, so any file name round-trips.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::store {

inline constexpr int kManifestVersion = 1;

struct ManifestEntry {
  std::string path;  // relative, "." for the root directory
  char type = 'f';
  std::uint32_t mode = 0;
  std::uint32_t uid = 0, gid = 0;
  std::uint64_t size = 0;
  std::string sha256;  // files only; empty otherwise
  std::string target;  // symlink or hardlink target; empty otherwise

  bool operator==(const ManifestEntry&) const = default;
};

std::string encode_manifest(std::vector<ManifestEntry> entries);  // sorts by path
// Throws Error(Input) naming name_for_errors:line for malformed text or a newer version.
std::vector<ManifestEntry> decode_manifest(std::string_view text,
                                           const std::string& name_for_errors);

struct ManifestChange {
  std::string path;
  std::string what;  // "added", "removed", or "content", "mode 0644 -> 0755", ...
};

// What differs between what was recorded and what is there, sorted by path.
std::vector<ManifestChange> compare_manifests(const std::vector<ManifestEntry>& recorded,
                                              const std::vector<ManifestEntry>& actual);

std::string escape_manifest_field(std::string_view raw);
std::string unescape_manifest_field(std::string_view escaped);

}  // namespace cleanroom::store
