// The streaming read API over TarStream: one visit per entry, content read
// only when the visitor asks for it (libarchive skips it otherwise).
#include "cleanroom/formats/tar.h"
#include "tar_stream.h"

namespace cleanroom::formats {

void visit_tar_stream(TarStream stream, const TarVisitor& visit) {
  TarEntry entry;
  while (stream.next(entry)) {
    bool read = false;
    std::function<std::string()> content = [&]() -> std::string {
      if (read || entry.type != EntryType::File) return {};
      read = true;
      return stream.read_content();
    };
    visit(entry, content);
  }
}

void read_tar(const std::string& archive_path, const TarVisitor& visit) {
  visit_tar_stream(TarStream::open_path(archive_path), visit);
}

void read_tar_fd(int fd, const std::string& name_for_errors, const TarVisitor& visit) {
  visit_tar_stream(TarStream::open_fd(fd, name_for_errors), visit);
}

void read_tar_memory(std::string_view data, const std::string& name_for_errors,
                     const TarVisitor& visit) {
  visit_tar_stream(TarStream::open_memory(data, name_for_errors), visit);
}

void stream_tar_memory(std::string_view data, const std::string& name_for_errors,
                       const TarChunkVisitor& visit) {
  TarStream stream = TarStream::open_memory(data, name_for_errors);
  TarEntry entry;
  while (stream.next(entry)) {
    TarChunkReader read = [&](char* buf, std::size_t size) -> std::size_t {
      return entry.type == EntryType::File ? stream.read(buf, size) : 0;
    };
    visit(entry, read);
  }
}

void read_tar_fd_range(int fd, std::uint64_t offset, std::uint64_t size,
                       const std::string& name_for_errors, const TarVisitor& visit) {
  visit_tar_stream(TarStream::open_range(fd, offset, size, name_for_errors), visit);
}

}  // namespace cleanroom::formats
