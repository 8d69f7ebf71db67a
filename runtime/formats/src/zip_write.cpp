// Deterministic zip writer and the zip normalizer built on it. See zip.h for
// what the bytes depend on; every header field written here is either derived
// from the entry or a constant.
#include <algorithm>
#include <ctime>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/zip.h"
#include "zip_bytes.h"
#include "zip_deflate.h"

namespace cleanroom::formats {

namespace {

using detail::put_le;

// "Made by" Unix (3), spec version 2.0: what Python's zipfile writes on Linux.
constexpr std::uint16_t kMadeBy = (3 << 8) | 20;
constexpr std::uint16_t kUtf8Flag = 0x800;
constexpr std::uint64_t kMax32 = 0xffffffff;

struct DosTime {
  std::uint16_t time = 0, date = 0;
};

DosTime to_dos_time(std::int64_t timestamp) {
  std::time_t t = static_cast<std::time_t>(std::clamp(timestamp, kZipMinTime, kZipMaxTime));
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  DosTime dos;
  dos.date = static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
                                        tm.tm_mday);
  dos.time = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  return dos;
}

void check_name(const std::string& name) {
  if (name.empty()) throw_input("zip: entry with an empty name");
  if (name.front() == '/') throw_input("zip: entry '" + name + "' has an absolute path");
  if (name.find('\0') != std::string::npos) throw_input("zip: entry name contains NUL");
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (name.compare(start, end - start, "..") == 0)
      throw_input("zip: entry '" + name + "' has a '..' component");
    start = end + 1;
  }
  if (name.size() > 0xffff) throw_input("zip: entry name longer than 65535 bytes");
}

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The fields the local header and the central directory share, in their order.
void put_common(std::string& out, std::uint16_t flags, std::uint16_t method, DosTime dos,
                std::uint32_t crc, std::uint64_t csize, std::uint64_t size,
                std::size_t name_len) {
  put_le(out, method == 8 ? 20 : 10, 2);  // version needed to extract
  put_le(out, flags, 2);
  put_le(out, method, 2);
  put_le(out, dos.time, 2);
  put_le(out, dos.date, 2);
  put_le(out, crc, 4);
  put_le(out, csize, 4);
  put_le(out, size, 4);
  put_le(out, name_len, 2);
  put_le(out, 0, 2);  // extra field length: never any extra fields
}

}  // namespace

std::uint32_t normalized_zip_mode(const ZipEntry& entry) {
  if (entry.is_directory()) return 040755;
  if (entry.is_symlink()) return 0120777;
  return (entry.mode & 0111) ? 0100755 : 0100644;
}

std::string write_zip(const std::vector<ZipEntry>& entries, const ZipWriteOptions& options) {
  if (entries.size() >= 0xffff) throw_input("zip: more than 65534 entries would need zip64");
  DosTime dos = to_dos_time(options.timestamp);
  std::string out, central;
  for (const ZipEntry& entry : entries) {
    check_name(entry.name);
    if (entry.is_directory() && !entry.data.empty())
      throw_input("zip: directory entry '" + entry.name + "' has content");
    std::uint16_t flags = is_ascii(entry.name) ? 0 : kUtf8Flag;
    std::uint16_t method = (entry.is_directory() || options.level == 0) ? 0 : 8;
    std::string stored = method == 8 ? detail::raw_deflate(entry.data, options.level) : entry.data;
    std::uint32_t crc = detail::crc32_of(entry.data);
    std::uint64_t offset = out.size();
    if (entry.data.size() >= kMax32 || stored.size() >= kMax32 || offset >= kMax32)
      throw_input("zip: entry '" + entry.name + "' is beyond 4 GiB and would need zip64");

    put_le(out, 0x04034b50, 4);
    put_common(out, flags, method, dos, crc, stored.size(), entry.data.size(), entry.name.size());
    out += entry.name;
    out += stored;

    std::uint32_t external = normalized_zip_mode(entry) << 16;
    if (entry.is_directory()) external |= 0x10;  // the MS-DOS directory attribute
    put_le(central, 0x02014b50, 4);
    put_le(central, kMadeBy, 2);
    put_common(central, flags, method, dos, crc, stored.size(), entry.data.size(),
               entry.name.size());
    put_le(central, 0, 2);  // comment length
    put_le(central, 0, 2);  // disk number
    put_le(central, 0, 2);  // internal attributes
    put_le(central, external, 4);
    put_le(central, offset, 4);
    central += entry.name;
  }
  std::uint64_t central_offset = out.size();
  if (central_offset >= kMax32 || central.size() >= kMax32)
    throw_input("zip: archive beyond 4 GiB would need zip64");
  out += central;
  put_le(out, 0x06054b50, 4);
  put_le(out, 0, 2);  // this disk
  put_le(out, 0, 2);  // disk with the directory
  put_le(out, entries.size(), 2);
  put_le(out, entries.size(), 2);
  put_le(out, central.size(), 4);
  put_le(out, central_offset, 4);
  put_le(out, 0, 2);  // comment length
  return out;
}

std::string normalize_zip(std::string_view bytes, const std::string& name,
                          std::int64_t source_date_epoch) {
  ZipArchive archive = read_zip(bytes, name);
  std::sort(archive.entries.begin(), archive.entries.end(),
            [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
  ZipWriteOptions options;
  options.timestamp = source_date_epoch;
  return with_context(name, [&] { return write_zip(archive.entries, options); });
}

}  // namespace cleanroom::formats
