// Checksum fields: MD5, SHA-1 and SHA-256 of each file (Debian's tools still
// require all three), from one read.
#include "cleanroom/formats/deb822_checksums.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "cleanroom/base/error.h"
#include "cleanroom/base/digest.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/deb822.h"

namespace cleanroom::formats {

namespace {

std::size_t hex_length(ChecksumKind kind) {
  switch (kind) {
    case ChecksumKind::Md5:
      return 32;
    case ChecksumKind::Sha1:
      return 40;
    case ChecksumKind::Sha256:
      return 64;
  }
  return 0;
}

// For const and mutable FileChecksums alike.
template <typename Checksums>
auto& hash_of(Checksums& file, ChecksumKind kind) {
  switch (kind) {
    case ChecksumKind::Md5:
      return file.md5;
    case ChecksumKind::Sha1:
      return file.sha1;
    case ChecksumKind::Sha256:
      break;
  }
  return file.sha256;
}

}  // namespace

FileChecksums checksum_file(const std::string& path) {
  FileChecksums out;
  out.name = file_name(path);
  // One read feeds all three digests.
  UniqueFd fd = open_fd(path, O_RDONLY);
  Digest md5(DigestKind::Md5), sha1(DigestKind::Sha1), sha256(DigestKind::Sha256);
  for_each_chunk(fd.get(), "'" + path + "'", [&](const char* data, std::size_t size) {
    md5.update(data, size);
    sha1.update(data, size);
    sha256.update(data, size);
    out.size += size;
  });
  out.md5 = md5.hex();
  out.sha1 = sha1.hex();
  out.sha256 = sha256.hex();
  return out;
}

std::string checksums_field(const std::vector<FileChecksums>& files, ChecksumKind kind) {
  std::string out;
  for (const FileChecksums& file : files) {
    out += fmt::format("\n {} {} {}", hash_of(file, kind), file.size, file.name);
  }
  return out;
}

void parse_checksums_field(std::string_view value, ChecksumKind kind, std::string_view field,
                           std::vector<FileChecksums>& files) {
  for (const std::string& line : deb822_lines(value)) {
    auto fail = [&](std::string_view why) {
      throw_input(
          fmt::format("{}: line '{}': {}; expected '<hash> <size> <name>'", field, line, why));
    };
    std::size_t a = line.find(' ');
    std::size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    if (b == std::string::npos) fail("too few words");
    std::string hash = line.substr(0, a);
    std::string size = line.substr(a + 1, b - a - 1);
    std::string name = line.substr(b + 1);
    if (hash.size() != hex_length(kind) ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail(fmt::format("'{}' is not a {}-digit lowercase hex hash", hash, hex_length(kind)));
    if (size.empty() || size.size() > 19 ||
        size.find_first_not_of("0123456789") != std::string::npos)
      fail(fmt::format("'{}' is not a size in bytes", size));
    if (name.empty() || name.find_first_of(" /") != std::string::npos)
      fail(fmt::format("'{}' is not a plain file name", name));
    FileChecksums* file = nullptr;
    for (FileChecksums& f : files)
      if (f.name == name) file = &f;
    if (!file) {
      files.push_back({.name = name});
      file = &files.back();
      file->size = std::stoull(size);
    } else if (file->size != std::stoull(size)) {
      fail(fmt::format("size {} disagrees with {} listed before", size, file->size));
    }
    hash_of(*file, kind) = hash;
  }
}

}  // namespace cleanroom::formats
