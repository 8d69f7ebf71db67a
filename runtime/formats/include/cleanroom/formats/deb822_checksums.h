// The file lists of .dsc, .changes and .buildinfo: Checksums-Md5/-Sha1/-Sha256
// (" <hash> <size> <name>" lines) and the .changes Files field, which also
// carries section and priority.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::formats {

struct FileChecksums {
  std::string name;  // as listed: a file name without directories
  std::uint64_t size = 0;
  std::string md5, sha1, sha256;  // lowercase hex
};

enum class ChecksumKind { Md5, Sha1, Sha256 };

// Hashes the file at path; name is its last path component.
FileChecksums checksum_file(const std::string& path);

// A Checksums-* value: "\n <hash> <size> <name>" per file, in the given order.
std::string checksums_field(const std::vector<FileChecksums>& files, ChecksumKind kind);

// Reads a Checksums-* value into files, matching by name (appending new names).
// Throws Error (Input) "field: line 'x': ..." for malformed lines or hashes.
void parse_checksums_field(std::string_view value, ChecksumKind kind, std::string_view field,
                           std::vector<FileChecksums>& files);

}  // namespace cleanroom::formats
