// The deterministic tar writer: canonical order and metadata (tar_order.h),
// then libarchive for the headers and our own compressors for the stream.
// libarchive only ever sees an uncompressed tar, so no filter of its own (gzip
// timestamps, xz threads) can make the output depend on the host.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

#include "archive_handle.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/tar.h"
#include "tar_order.h"

namespace cleanroom::formats {

std::optional<Compression> compression_from_name(const std::string& name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".tar")) return Compression::None;
  if (ends(".tar.gz") || ends(".tgz")) return Compression::Gzip;
  if (ends(".tar.xz") || ends(".txz")) return Compression::Xz;
  if (ends(".tar.zst") || ends(".tzst")) return Compression::Zstd;
  return std::nullopt;
}

namespace {

struct Output {
  Compressor* compressor;
  std::exception_ptr error;
};

// libarchive is C: an exception must not unwind through it, so it is parked
// here and rethrown once libarchive has returned.
la_ssize_t write_callback(archive*, void* data, const void* buffer, size_t length) {
  auto* out = static_cast<Output*>(data);
  try {
    out->compressor->write(buffer, length);
    return static_cast<la_ssize_t>(length);
  } catch (...) {
    out->error = std::current_exception();
    return -1;
  }
}

mode_t file_type_bits(EntryType type) {
  switch (type) {
    case EntryType::Directory:
      return AE_IFDIR;
    case EntryType::Symlink:
      return AE_IFLNK;
    case EntryType::CharDevice:
      return AE_IFCHR;
    case EntryType::BlockDevice:
      return AE_IFBLK;
    case EntryType::Fifo:
      return AE_IFIFO;
    case EntryType::File:
    case EntryType::Hardlink:
      return AE_IFREG;
  }
  return AE_IFREG;
}

class Writer {
 public:
  Writer(int out_fd, const TarWriteOptions& options)
      : options_(options),
        compressor_(options.compression, options.level, out_fd, "tar stream", options.dpkg_zstd),
        output_{&compressor_, nullptr},
        archive_(archive_write_new()) {
    if (!archive_) throw_failure("tar: cannot allocate a writer");
    archive* a = archive_.get();
    if (options.format == TarFormat::Pax) {
      // Restricted pax adds an extended header only when ustar cannot hold the
      // entry; BINARY keeps names as bytes, independent of the locale.
      check(archive_write_set_format_pax_restricted(a), "set format");
      check(archive_write_set_format_option(a, "pax", "hdrcharset", "BINARY"), "set charset");
    } else {
      check(archive_write_set_format_gnutar(a), "set format");
    }
    check(archive_write_add_filter_none(a), "set filter");
    check(archive_write_open2(a, &output_, nullptr, write_callback, nullptr, nullptr), "open");
  }

  void add(const TarEntry& entry) {
    current_ = entry.path;
    UniqueFd source;
    std::uint64_t size = entry.data.size();
    if (entry.type == EntryType::File && !entry.source_path.empty()) {
      source = open_fd(entry.source_path, O_RDONLY | O_NOFOLLOW);
      struct stat st;
      if (::fstat(source.get(), &st) != 0) throw_errno("fstat '" + entry.source_path + "'");
      if (!S_ISREG(st.st_mode)) fail("'" + entry.source_path + "' is no longer a regular file");
      size = static_cast<std::uint64_t>(st.st_size);
    }
    ArchiveEntry e(archive_entry_new());
    archive_entry* h = e.get();
    archive_entry_copy_pathname(h, name(entry.path, entry.type == EntryType::Directory).c_str());
    archive_entry_set_filetype(h, file_type_bits(entry.type));
    archive_entry_set_perm(h, entry.mode);
    archive_entry_set_uid(h, entry.uid);
    archive_entry_set_gid(h, entry.gid);
    if (!entry.uname.empty()) archive_entry_copy_uname(h, entry.uname.c_str());
    if (!entry.gname.empty()) archive_entry_copy_gname(h, entry.gname.c_str());
    archive_entry_set_mtime(h, entry.mtime, 0);
    if (entry.type == EntryType::Hardlink)
      archive_entry_copy_hardlink(h, name(entry.link_target, false).c_str());
    if (entry.type == EntryType::Symlink) archive_entry_copy_symlink(h, entry.link_target.c_str());
    if (entry.type == EntryType::CharDevice || entry.type == EntryType::BlockDevice) {
      archive_entry_set_rdevmajor(h, entry.dev_major);
      archive_entry_set_rdevminor(h, entry.dev_minor);
    }
    archive_entry_set_size(h, entry.type == EntryType::File ? static_cast<la_int64_t>(size) : 0);
    if (options_.format == TarFormat::Pax) {
      for (const auto& [key, value] : entry.xattrs)
        archive_entry_xattr_add_entry(h, key.c_str(), value.data(), value.size());
    }
    check(archive_write_header(archive_.get(), h), "write header");
    if (entry.type != EntryType::File) return;
    if (source) {
      copy(source.get(), entry.source_path, size);
    } else {
      put(entry.data.data(), entry.data.size());
    }
  }

  void finish() {
    current_.clear();
    check(archive_write_close(archive_.get()), "close");
    compressor_.finish();
  }

 private:
  std::string name(const std::string& path, bool directory) const {
    if (path == ".") return "./";
    std::string out = options_.dot_prefix ? "./" + path : path;
    if (directory) out += '/';
    return out;
  }

  void copy(int fd, const std::string& path, std::uint64_t size) {
    char buf[1 << 16];
    std::uint64_t left = size;
    while (left > 0) {
      ssize_t n =
          ::read(fd, buf, static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof buf)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("read '" + path + "'");
      if (n == 0) fail("'" + path + "' shrank while being archived");
      put(buf, static_cast<std::size_t>(n));
      left -= static_cast<std::uint64_t>(n);
    }
  }

  void put(const char* data, std::size_t size) {
    while (size > 0) {
      la_ssize_t n = archive_write_data(archive_.get(), data, size);
      if (n <= 0) check(ARCHIVE_FATAL, "write data");
      data += n;
      size -= static_cast<std::size_t>(n);
    }
  }

  void check(int rc, const char* doing) {
    if (output_.error) std::rethrow_exception(output_.error);
    if (rc != ARCHIVE_OK) fail(std::string(doing) + ": " + archive_message(archive_.get()));
  }

  [[noreturn]] void fail(const std::string& message) const {
    if (current_.empty()) throw_failure("tar: " + message);
    throw_failure(fmt::format("tar entry '{}': {}", current_, message));
  }

  const TarWriteOptions& options_;
  Compressor compressor_;
  Output output_;
  ArchiveWriter archive_;
  std::string current_;
};

}  // namespace

void write_tar(std::vector<TarEntry> entries, int out_fd, const TarWriteOptions& options) {
  canonicalize_entries(entries, options);
  Writer writer(out_fd, options);
  for (const TarEntry& entry : entries) {
    writer.add(entry);
    if (options.on_entry) options.on_entry(entry.size, entry.path);
  }
  writer.finish();
}

}  // namespace cleanroom::formats
