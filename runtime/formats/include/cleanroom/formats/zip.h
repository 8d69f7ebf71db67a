// Zip archives (and so wheels): a strict reader and a deterministic writer.
//
// The writer's bytes depend only on the entries' names, kinds, executable bits
// and contents, in the order given: every entry gets the same DOS timestamp,
// external attributes are fixed (regular 0644 or 0755 from the entry's mode,
// directories 0755, symlinks 0777), deflate runs at a fixed level, and no extra
// fields, comments or data descriptors are written. zlib is the only thing the
// bytes then depend on, as for every deflate-based format.
//
// The reader holds the whole archive in memory and checks every entry: the local
// header must agree with the central directory, CRCs and sizes must match.
// Corrupt input is an Error (Input) naming the archive and the entry; entries
// that overlap one another or repeat a name are HostileInput (error.h), and
// inflating more than the budget allows is an Error (Environment).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom {
class ByteBudget;
}

namespace cleanroom::formats {

struct ZipEntry {
  std::string name;         // as stored: '/' separated, directories end in '/'
  std::uint32_t mode = 0;   // st_mode from the external attributes; 0 when the archive has none
  std::int64_t mtime = 0;   // the DOS timestamp read as UTC
  std::string data;         // uncompressed content (a symlink's target)

  bool is_directory() const { return !name.empty() && name.back() == '/'; }
  bool is_symlink() const { return (mode & 0170000) == 0120000; }
};

struct ZipArchive {
  std::vector<ZipEntry> entries;  // central directory order
  std::string comment;
};

// "PK\3\4" or an empty archive's end record at the start.
bool looks_like_zip(std::string_view bytes);

ZipArchive read_zip(std::string_view bytes, const std::string& name_for_errors);
// Spends every entry's declared size from budget before inflating it; the
// first form's budget is kInMemoryInflateLimit (byte_budget.h).
ZipArchive read_zip(std::string_view bytes, const std::string& name_for_errors,
                    ByteBudget& budget);
ZipArchive read_zip_file(const std::string& path);

// DOS time can only say 1980-01-01 to 2107-12-31, in 2-second steps.
constexpr std::int64_t kZipMinTime = 315532800;   // 1980-01-01T00:00:00Z
constexpr std::int64_t kZipMaxTime = 4354819198;  // 2107-12-31T23:59:58Z

struct ZipWriteOptions {
  std::int64_t timestamp = kZipMinTime;  // every entry's time, clamped into the DOS range
  int level = 6;                         // deflate level; 0 stores
};

// Writes the entries in the order given. Throws Error (Input) for names that
// cannot be stored (empty, absolute, "..") or archives that would need zip64.
std::string write_zip(const std::vector<ZipEntry>& entries, const ZipWriteOptions& options);

// The mode the writer records for an entry: type bits plus 0644/0755/0777.
std::uint32_t normalized_zip_mode(const ZipEntry& entry);

// Rewrites a zip with its entries sorted by name, timestamps set to
// source_date_epoch and attributes fixed. Duplicate names are refused (read_zip).
std::string normalize_zip(std::string_view bytes, const std::string& name_for_errors,
                          std::int64_t source_date_epoch);

}  // namespace cleanroom::formats
