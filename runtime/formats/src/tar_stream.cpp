#include "tar_stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/stop_request.h"

namespace cleanroom::formats {

// An fd range read with pread, so several members of one ar can be read in any
// order without anyone else's file offset mattering.
struct TarStream::Range {
  int fd;
  std::uint64_t offset;
  std::uint64_t end;
  char buf[1 << 16];
};

namespace {

la_ssize_t range_read(archive* a, void* data, const void** buffer) {
  auto* r = static_cast<TarStream::Range*>(data);
  std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(sizeof r->buf, r->end - r->offset));
  if (want == 0) return 0;
  ssize_t n;
  do {
    n = ::pread(r->fd, r->buf, want, static_cast<off_t>(r->offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    archive_set_error(a, errno, "pread failed");
    return -1;
  }
  r->offset += static_cast<std::uint64_t>(n);
  *buffer = r->buf;
  return n;
}

EntryType entry_type(archive_entry* e) {
  if (archive_entry_hardlink(e)) return EntryType::Hardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
      return EntryType::Directory;
    case AE_IFLNK:
      return EntryType::Symlink;
    case AE_IFCHR:
      return EntryType::CharDevice;
    case AE_IFBLK:
      return EntryType::BlockDevice;
    case AE_IFIFO:
      return EntryType::Fifo;
    default:
      return EntryType::File;
  }
}

const char* or_empty(const char* s) { return s ? s : ""; }

}  // namespace

std::string strip_tar_path(std::string path) {
  while (path.size() >= 2 && path[0] == '.' && path[1] == '/') {
    path.erase(0, 2);
    while (!path.empty() && path[0] == '/' && path.size() > 1) path.erase(0, 1);
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty()) path = ".";
  return path;
}

TarStream::TarStream(std::string name) : name_(std::move(name)), reader_(archive_read_new()) {
  if (!reader_) throw_failure("tar '" + name_ + "': cannot allocate a reader");
  archive* a = reader_.get();
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  // Each filter returns ARCHIVE_WARN when it would run an external program.
  if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
      archive_read_support_filter_xz(a) != ARCHIVE_OK ||
      archive_read_support_filter_zstd(a) != ARCHIVE_OK)
    throw_environment("libarchive lacks built-in gzip, xz or zstd support; install libarchive13");
  archive_read_support_filter_none(a);
  // Read on past the end-of-archive blocks to the end of the data: otherwise
  // libarchive stops before the checksum that closes a zstd frame or a gzip
  // member, and bytes damaged inside compressed data go unnoticed.
  if (archive_read_set_options(a, "tar:read_concatenated_archives") != ARCHIVE_OK)
    throw_environment("libarchive lacks the tar option read_concatenated_archives");
}

TarStream::TarStream(TarStream&&) noexcept = default;
TarStream::~TarStream() = default;

void TarStream::fail(const std::string& message) const {
  if (current_.empty()) throw_input(fmt::format("tar '{}': {}", name_, message));
  throw_input(fmt::format("tar '{}': entry '{}': {}", name_, current_, message));
}

void TarStream::fail_archive(const std::string& doing) const {
  fail(doing + ": " + archive_message(reader_.get()));
}

void TarStream::open_with(int rc) {
  if (rc != ARCHIVE_OK) fail_archive("open");
}

TarStream TarStream::open_path(const std::string& path) {
  UniqueFd fd = cleanroom::open_fd(path, O_RDONLY);
  TarStream s = open_fd(fd.get(), path);
  s.owned_fd_ = std::move(fd);
  return s;
}

TarStream TarStream::open_fd(int fd, const std::string& name) {
  TarStream s(name);
  s.open_with(archive_read_open_fd(s.reader_.get(), fd, 1 << 16));
  return s;
}

TarStream TarStream::open_memory(std::string_view data, const std::string& name) {
  TarStream s(name);
  s.open_with(archive_read_open_memory(s.reader_.get(), data.data(), data.size()));
  return s;
}

TarStream TarStream::open_range(int fd, std::uint64_t offset, std::uint64_t size,
                                const std::string& name) {
  TarStream s(name);
  s.range_ = std::make_unique<Range>();
  s.range_->fd = fd;
  s.range_->offset = offset;
  s.range_->end = offset + size;
  s.open_with(archive_read_open(s.reader_.get(), s.range_.get(), nullptr, range_read, nullptr));
  return s;
}

bool TarStream::next(TarEntry& entry) {
  // An archive of a million entries must not outlast a stop request or the
  // command's deadline.
  throw_if_stop_requested();
  archive_entry* e = nullptr;
  int rc = archive_read_next_header(reader_.get(), &e);
  if (rc == ARCHIVE_EOF) return false;
  // ARCHIVE_WARN covers e.g. an unconvertible name: the entry itself is usable.
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail_archive("read header");
  entry = TarEntry{};
  entry.path = strip_tar_path(or_empty(archive_entry_pathname(e)));
  current_ = entry.path;
  entry.type = entry_type(e);
  entry.mode = static_cast<std::uint32_t>(archive_entry_perm(e)) & 07777;
  entry.uid = static_cast<std::uint32_t>(archive_entry_uid(e));
  entry.gid = static_cast<std::uint32_t>(archive_entry_gid(e));
  entry.uname = or_empty(archive_entry_uname(e));
  entry.gname = or_empty(archive_entry_gname(e));
  entry.mtime = archive_entry_mtime(e);
  if (entry.type == EntryType::Hardlink)
    entry.link_target = strip_tar_path(archive_entry_hardlink(e));
  else if (entry.type == EntryType::Symlink)
    entry.link_target = or_empty(archive_entry_symlink(e));
  entry.dev_major = static_cast<std::uint32_t>(archive_entry_rdevmajor(e));
  entry.dev_minor = static_cast<std::uint32_t>(archive_entry_rdevminor(e));
  if (entry.type == EntryType::File) {
    la_int64_t size = archive_entry_size(e);
    if (size < 0) fail("negative size");
    entry.size = static_cast<std::uint64_t>(size);
  }
  current_size_ = entry.size;
  const char* xname;
  const void* xvalue;
  std::size_t xsize;
  archive_entry_xattr_reset(e);
  while (archive_entry_xattr_next(e, &xname, &xvalue, &xsize) == ARCHIVE_OK)
    entry.xattrs.emplace_back(xname, std::string(static_cast<const char*>(xvalue), xsize));
  // libarchive writes each xattr twice (LIBARCHIVE.xattr and SCHILY.xattr pax
  // keys) and reads both back: keep one per name.
  std::sort(entry.xattrs.begin(), entry.xattrs.end());
  entry.xattrs.erase(std::unique(entry.xattrs.begin(), entry.xattrs.end(),
                                 [](const auto& a, const auto& b) { return a.first == b.first; }),
                     entry.xattrs.end());
  return true;
}

std::size_t TarStream::read(void* buf, std::size_t size) {
  la_ssize_t n = archive_read_data(reader_.get(), buf, size);
  if (n < 0) fail_archive("read data");
  return static_cast<std::size_t>(n);
}

std::string TarStream::read_content(std::uint64_t limit) {
  std::string out;
  // Sized once from the header (a hostile header gets no more than 64 MiB
  // up front): appending 64 KiB at a time would reallocate and copy.
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>({current_size_, limit, 64u << 20})));
  char buf[1 << 16];
  while (std::size_t n = read(buf, sizeof buf)) {
    if (out.size() + n > limit) fail(fmt::format("content larger than {} bytes", limit));
    out.append(buf, n);
  }
  return out;
}

}  // namespace cleanroom::formats
