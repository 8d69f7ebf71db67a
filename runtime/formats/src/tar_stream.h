// A tar being read entry by entry through libarchive, from a path, an fd, a
// range of an fd or memory. Only tar formats and the gzip, xz and zstd filters
// are enabled: libarchive falls back to spawning external programs for some
// others, and this library starts no processes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive_handle.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/tar.h"

namespace cleanroom::formats {

class TarStream {
 public:
  static TarStream open_path(const std::string& path);
  static TarStream open_fd(int fd, const std::string& name);
  static TarStream open_memory(std::string_view data, const std::string& name);
  static TarStream open_range(int fd, std::uint64_t offset, std::uint64_t size,
                              const std::string& name);

  TarStream(TarStream&&) noexcept;
  TarStream& operator=(TarStream&&) = delete;
  ~TarStream();

  // Fills entry with the next header; false at the end of the archive. Paths lose a
  // leading "./" and a trailing "/"; the root "./" becomes ".". Nothing else is
  // checked here: the extractor decides what is safe.
  bool next(TarEntry& entry);
  // Reads the current entry's content; 0 at its end.
  std::size_t read(void* buf, std::size_t size);
  // The whole content of the current entry, refused beyond limit bytes.
  std::string read_content(std::uint64_t limit = UINT64_MAX);

  const std::string& name() const { return name_; }
  // An Error(Input) "tar 'name': entry 'path': message".
  [[noreturn]] void fail(const std::string& message) const;

  struct Range;

 private:
  explicit TarStream(std::string name);
  void open_with(int rc);
  [[noreturn]] void fail_archive(const std::string& doing) const;

  std::string name_;
  std::string current_;
  std::uint64_t current_size_ = 0;  // the current entry's size in its header
  ArchiveReader reader_;
  UniqueFd owned_fd_;
  std::unique_ptr<Range> range_;
};

// Calls visit for every entry; content is read only when asked for.
void visit_tar_stream(TarStream stream, const TarVisitor& visit);

// "./a/b/" -> "a/b", "./" -> ".".
std::string strip_tar_path(std::string path);

}  // namespace cleanroom::formats
