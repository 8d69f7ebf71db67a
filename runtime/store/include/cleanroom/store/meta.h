// meta.json of one snapshot: where it came from and what it holds. Not part of
// the id (the id hashes only snapshot.tar.zst), so "created" may be wall time.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::store {

inline constexpr int kMetaVersion = 1;

struct SnapshotMeta {
  std::string id;
  std::string suite;             // "" when unknown (an import without --suite)
  std::string arch;
  std::string mirror;            // "" for imports
  std::string variant;           // mmdebstrap variant, "" for imports
  std::string origin;            // "mmdebstrap", "debootstrap" or "import <file>"
  std::string deb_compression;   // "xz" or "zstd"
  std::int64_t created = 0;      // unix time the snapshot was published
  std::int64_t source_date_epoch = 0;  // mtimes in the archive are clamped to this
  std::uint64_t size = 0;        // bytes of regular files in the tree
  std::uint64_t entries = 0;     // entries in the manifest
};

std::string encode_meta(const SnapshotMeta& meta);
// Throws Error(Input) naming the file for bad JSON or a newer format_version.
SnapshotMeta decode_meta(const std::string& text, const std::string& name_for_errors);

}  // namespace cleanroom::store
