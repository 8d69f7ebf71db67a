// Tar archives: a deterministic writer and a safe reader/extractor, on libarchive.
//
// The writer's bytes depend only on the entries' content: entries are sorted by
// path, mtimes clamped to SOURCE_DATE_EPOCH, owners normalized when asked,
// compressor level and thread count fixed. The extractor never writes outside
// its destination: absolute paths, "..", writes through symlinks and hardlinks
// to outside are refused with an Error naming the archive and the entry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleanroom/formats/compression.h"

namespace cleanroom::formats {

enum class EntryType { File, Directory, Symlink, Hardlink, CharDevice, BlockDevice, Fifo };

struct TarEntry {
  std::string path;  // relative, normalized: no leading "./" or "/", no trailing "/"
  EntryType type = EntryType::File;
  std::uint32_t mode = 0644;  // permission bits including setuid/setgid/sticky
  std::uint32_t uid = 0, gid = 0;
  std::string uname, gname;
  std::int64_t mtime = 0;
  std::string link_target;  // symlink target, or the path a hardlink points at
  std::uint32_t dev_major = 0, dev_minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;  // sorted by name when written
  std::uint64_t size = 0;                                   // regular files only
  // Content of a regular file: in memory (data), or read from source_path.
  std::string data;
  std::string source_path;
};

// Picks the compression from a file name: .tar, .tar.gz/.tgz, .tar.xz, .tar.zst.
std::optional<Compression> compression_from_name(const std::string& name);

// Pax (POSIX.1-2001) carries xattrs and any name length; Gnu is what dpkg-deb
// writes and the safest for .deb members. Either way a header field is written
// only from the entry, never from the host (no pid, no atime, no locale).
enum class TarFormat { Pax, Gnu };

struct TarOwner {
  std::uint32_t uid = 0, gid = 0;
  std::string uname, gname;
};

struct TarWriteOptions {
  Compression compression = Compression::None;
  TarFormat format = TarFormat::Pax;
  // Names written as "./path" and the root entry "." as "./", as dpkg-deb does.
  bool dot_prefix = false;
  int level = -1;  // -1: the fixed default per compressor (gzip 9, xz 6, zstd 19)
  // Entries newer than this get this mtime; nullopt keeps mtimes as they are.
  std::optional<std::int64_t> clamp_mtime;
  bool root_owner = false;             // uid/gid 0, uname/gname "root"
  // Owners that stay over root_owner, by entry path: what a build set with
  // (fake)root (base-files' /var/local is root:staff).
  std::map<std::string, TarOwner> owners;
  bool normalize_permissions = false;  // 0644/0755 by type and executable bit
  // Symlinks after everything else, in path order: dpkg-deb's order, so that
  // extracting never meets a link before its target.
  bool symlinks_last = false;
  // zstd as dpkg-deb writes it (see Compressor); for a .deb's members only.
  bool dpkg_zstd = false;
  // Called after each entry with its content size (progress reporting).
  std::function<void(std::uint64_t bytes, const std::string& path)> on_entry;
};

// Writes entries sorted by path (parents before children) to fd; the caller owns fd.
// A path "." is the root directory itself. A hardlink group is rewritten so the
// first path in sorted order holds the content. Throws Error(Input) for a
// hardlink to a path missing from entries.
void write_tar(std::vector<TarEntry> entries, int out_fd, const TarWriteOptions& options);

// Walks dir with lstat (never following symlinks), returning entries whose content
// is source_path. Hardlinked files after the first become Hardlink entries.
// uid_offset is subtracted from owners (for trees stored with shifted ids).
std::vector<TarEntry> scan_tree(const std::string& dir, std::uint32_t uid_offset = 0);

// Streams a tar (uncompressed, gzip, xz or zstd) entry by entry. For regular
// files, read_content() returns the data; it may be skipped. Paths lose a leading
// "./" and a trailing "/" (the root is "."), nothing more: they are as the archive
// says, possibly hostile; check them with normalize_member_path (safe_path.h).
// Corrupt or truncated input throws Error(Input) naming the archive and entry.
using TarVisitor =
    std::function<void(const TarEntry& entry, const std::function<std::string()>& read_content)>;
void read_tar(const std::string& archive_path, const TarVisitor& visit);
void read_tar_fd(int fd, const std::string& name_for_errors, const TarVisitor& visit);
// The same over bytes in memory (fuzzing, small members).
void read_tar_memory(std::string_view data, const std::string& name_for_errors,
                     const TarVisitor& visit);
// The same over bytes in memory, the content handed out piece by piece: read
// fills buf and returns the bytes it put there, 0 at the entry's end. For
// contents that may be larger than memory (a 33 KB .tar.zst can hold 1 GiB).
using TarChunkReader = std::function<std::size_t(char* buf, std::size_t size)>;
using TarChunkVisitor = std::function<void(const TarEntry& entry, const TarChunkReader& read)>;
void stream_tar_memory(std::string_view data, const std::string& name_for_errors,
                       const TarChunkVisitor& visit);
// The same over [offset, offset+size) of fd, read with pread (an ar member).
void read_tar_fd_range(int fd, std::uint64_t offset, std::uint64_t size,
                       const std::string& name_for_errors, const TarVisitor& visit);

inline constexpr std::uint64_t kExtractMaxBytes = std::uint64_t{32} << 30;  // 32 GiB

struct ExtractOptions {
  // Added to the archive's uid/gid when chowning; nullopt: do not chown (rootless).
  std::optional<std::uint32_t> owner_offset;
  bool skip_devices = true;  // device nodes cannot be made without privilege
  bool keep_xattrs = false;
  // Bomb guard: content bytes written at most. Past it the extraction stops
  // with Error (Environment) saying how_to_raise. The callers tie it to what
  // they extract (store/import.h); this default is only the ceiling.
  std::uint64_t max_total_bytes = kExtractMaxBytes;
  std::string how_to_raise = "bomb guard";
};

// Extracts into an existing, empty dest. Throws Error (kind Input) for hostile
// or corrupt archives, naming archive and entry; never writes outside dest.
void extract_tar(const std::string& archive_path, const std::string& dest,
                 const ExtractOptions& options);

}  // namespace cleanroom::formats
