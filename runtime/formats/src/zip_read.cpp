// Zip reader. Finds the end record, walks the central directory (zip64 aware),
// and for every entry checks the local header against it before inflating and
// verifying the CRC: the two copies of an entry's metadata disagreeing is how
// corrupted or crafted archives usually show.
//
// Two kinds of crafted archive are refused before anything is inflated, as
// HostileInput: entries whose local header and data overlap another's (forty
// directory entries pointing at one compressed stream inflate it forty times)
// and two entries of one name (which one a consumer sees is the consumer's
// guess). What is inflated is spent from a ByteBudget first, at its declared
// size, which the inflater then holds the stream to.
#include <algorithm>
#include <ctime>
#include <set>
#include <utility>
#include <vector>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/zip.h"
#include "zip_bytes.h"
#include "zip_deflate.h"

namespace cleanroom::formats {

namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50;
constexpr std::uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr std::uint32_t kMax32 = 0xffffffff;

struct Directory {
  std::uint64_t count = 0;
  std::uint64_t offset = 0;
  std::string comment;
};

Directory find_directory(const detail::LeReader& in, const std::string& name) {
  if (in.size() < 22) throw_input(name + ": not a zip archive (too short for an end record)");
  // The end record is the last 22 bytes plus a comment of up to 64 KiB.
  std::size_t lowest = in.size() > 22 + 0xffff ? in.size() - 22 - 0xffff : 0;
  for (std::size_t pos = in.size() - 22;; --pos) {
    if (in.u32(pos) == kEndSig && pos + 22 + in.u16(pos + 20) <= in.size()) {
      Directory dir;
      dir.count = in.u16(pos + 10);
      dir.offset = in.u32(pos + 16);
      dir.comment = std::string(in.slice(pos + 22, in.u16(pos + 20)));
      if (pos >= 20 && in.u32(pos - 20) == kEnd64LocatorSig) {
        std::uint64_t end64 = in.u64(pos - 20 + 8);
        if (end64 > in.size() || in.u32(static_cast<std::size_t>(end64)) != kEnd64Sig)
          throw_input(name + ": corrupt zip64 end record");
        auto at = static_cast<std::size_t>(end64);
        dir.count = in.u64(at + 32);
        dir.offset = in.u64(at + 48);
      }
      return dir;
    }
    if (pos == lowest) break;
  }
  throw_input(name + ": not a zip archive (no end of central directory record)");
}

std::int64_t from_dos_time(std::uint16_t time, std::uint16_t date) {
  std::tm tm{};
  tm.tm_year = 80 + (date >> 9);
  tm.tm_mon = ((date >> 5) & 0xf) - 1;
  tm.tm_mday = date & 0x1f;
  tm.tm_hour = time >> 11;
  tm.tm_min = (time >> 5) & 0x3f;
  tm.tm_sec = (time & 0x1f) * 2;
  return static_cast<std::int64_t>(::timegm(&tm));
}

// Replaces 0xffffffff sizes and offset by their values from the zip64 extra field.
void apply_zip64(std::string_view extra, std::uint64_t& size, std::uint64_t& csize,
                 std::uint64_t& offset, const std::string& what) {
  detail::LeReader ex(extra, what + ": extra field");
  for (std::size_t pos = 0; pos + 4 <= extra.size();) {
    std::uint16_t id = ex.u16(pos);
    std::uint16_t len = ex.u16(pos + 2);
    if (id == 0x0001) {
      std::size_t field = pos + 4;
      for (std::uint64_t* value : {&size, &csize, &offset}) {
        if (*value != kMax32) continue;
        if (field + 8 > pos + 4 + len) throw_input(what + ": short zip64 extra field");
        *value = ex.u64(field);
        field += 8;
      }
      return;
    }
    pos += 4 + std::size_t{len};
  }
}

// [start, end) of one entry's local header and data, for the overlap check.
struct Extent {
  std::uint64_t start = 0, end = 0;
  std::string name;
};

void refuse_overlaps(std::vector<Extent> extents, const std::string& name) {
  std::sort(extents.begin(), extents.end(),
            [](const Extent& a, const Extent& b) { return a.start < b.start; });
  for (std::size_t i = 1; i < extents.size(); ++i)
    if (extents[i].start < extents[i - 1].end)
      throw HostileInput(name + ": entries '" + extents[i - 1].name + "' and '" +
                         extents[i].name +
                         "' overlap in the archive (a crafted zip: refused)");
}

// Where an entry's data is and what the directory says it inflates to.
struct Pending {
  std::size_t data_at;
  std::uint64_t csize, size;
  std::uint16_t method;
  std::uint32_t crc;
};

void inflate_entry(const detail::LeReader& in, const Pending& p, ZipEntry& entry,
                   ByteBudget& budget, const std::string& name) {
  std::string what = name + ": entry '" + entry.name + "'";
  budget.spend(p.size, what);
  std::string_view stored = in.slice(p.data_at, p.csize);
  if (p.method == 0) {
    entry.data = std::string(stored);
  } else {
    entry.data = detail::raw_inflate(stored, static_cast<std::size_t>(p.size), what).data;
    if (entry.data.size() != p.size)
      throw_input(what + ": inflates to " + std::to_string(entry.data.size()) +
                  " bytes, the directory says " + std::to_string(p.size));
  }
  if (detail::crc32_of(entry.data) != p.crc) throw_input(what + ": CRC mismatch (corrupt data)");
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.substr(0, 4) == std::string_view("PK\3\4", 4) ||
         bytes.substr(0, 4) == std::string_view("PK\5\6", 4);
}

ZipArchive read_zip(std::string_view bytes, const std::string& name) {
  ByteBudget budget(kInMemoryInflateLimit, "a zip may inflate to at most this much");
  return read_zip(bytes, name, budget);
}

ZipArchive read_zip(std::string_view bytes, const std::string& name, ByteBudget& budget) {
  detail::LeReader in(bytes, name);
  Directory dir = find_directory(in, name);
  ZipArchive archive;
  archive.comment = dir.comment;
  // Each central entry takes at least 46 bytes: a larger count is a lie to allocate for.
  if (dir.count > bytes.size() / 46) throw_input(name + ": corrupt zip (impossible entry count)");
  archive.entries.reserve(static_cast<std::size_t>(dir.count));
  std::size_t pos = static_cast<std::size_t>(std::min<std::uint64_t>(dir.offset, bytes.size()));
  std::vector<Extent> extents;
  std::set<std::string> names;
  std::vector<Pending> pending;
  for (std::uint64_t i = 0; i < dir.count; ++i) {
    if (in.u32(pos) != kCentralSig)
      throw_input(name + ": corrupt zip (central directory entry " + std::to_string(i) +
                  " has a bad signature at offset " + std::to_string(pos) + ")");
    std::uint16_t made_by = in.u16(pos + 4);
    std::uint16_t flags = in.u16(pos + 8);
    std::uint16_t method = in.u16(pos + 10);
    std::uint32_t crc = in.u32(pos + 16);
    std::uint64_t csize = in.u32(pos + 20);
    std::uint64_t size = in.u32(pos + 24);
    std::uint16_t name_len = in.u16(pos + 28);
    std::uint16_t extra_len = in.u16(pos + 30);
    std::uint16_t comment_len = in.u16(pos + 32);
    std::uint32_t external = in.u32(pos + 38);
    std::uint64_t local = in.u32(pos + 42);
    ZipEntry entry;
    entry.name = std::string(in.slice(pos + 46, name_len));
    std::string what = name + ": entry '" + entry.name + "'";
    apply_zip64(in.slice(pos + 46 + name_len, extra_len), size, csize, local, what);
    entry.mtime = from_dos_time(in.u16(pos + 12), in.u16(pos + 14));
    int creator = made_by >> 8;
    // Unix (3) and macOS (19) keep st_mode in the high half; others mean nothing there.
    if (creator == 3 || creator == 19) entry.mode = external >> 16;
    pos += 46 + std::size_t{name_len} + extra_len + comment_len;

    if (flags & 0x41) throw_input(what + ": encrypted entries are not supported");
    if (method != 0 && method != 8)
      throw_input(what + ": unsupported compression method " + std::to_string(method) +
                  " (only stored and deflate)");
    if (local > bytes.size()) throw_input(what + ": local header offset beyond the end");
    auto lh = static_cast<std::size_t>(local);
    if (in.u32(lh) != kLocalSig) throw_input(what + ": corrupt zip (bad local header signature)");
    std::uint16_t local_name_len = in.u16(lh + 26);
    if (in.slice(lh + 30, local_name_len) != entry.name)
      throw_input(what + ": local header names a different file");
    if (in.u16(lh + 8) != method)
      throw_input(what + ": local header and central directory disagree on the method");
    // Unless a data descriptor follows the data (flag bit 3), both copies carry the
    // compressed size: a corrupted one shows here as plain damage, so that only
    // consistent entries can be taken for a crafted overlap below.
    std::uint64_t local_csize = in.u32(lh + 18);
    if (!(in.u16(lh + 6) & 0x08) && local_csize != kMax32 && local_csize != csize)
      throw_input(what + ": local header and central directory disagree on the compressed size");
    std::size_t data_at = lh + 30 + local_name_len + in.u16(lh + 28);
    in.require(data_at, csize);
    if (method == 0 && csize != size) throw_input(what + ": stored entry with differing sizes");
    extents.push_back({lh, data_at + csize, entry.name});
    archive.entries.push_back(std::move(entry));
    if (!names.insert(archive.entries.back().name).second)
      throw HostileInput(name + ": duplicate entry '" + archive.entries.back().name +
                         "' (two entries of one name: refused)");
    pending.push_back({data_at, csize, size, method, crc});
  }
  refuse_overlaps(std::move(extents), name);
  for (std::size_t i = 0; i < pending.size(); ++i)
    inflate_entry(in, pending[i], archive.entries[i], budget, name);
  return archive;
}

ZipArchive read_zip_file(const std::string& path) {
  return read_zip(read_file(path), "'" + path + "'");
}

}  // namespace cleanroom::formats
