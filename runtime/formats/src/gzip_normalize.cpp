// gzip (RFC 1952) member parsing shared by the normalizer and the decompressor.
#include "cleanroom/formats/gzip_normalize.h"

#include <algorithm>
#include <functional>

#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "zip_bytes.h"
#include "zip_deflate.h"

namespace cleanroom::formats {

namespace {

constexpr unsigned char kFlagHeaderCrc = 0x02, kFlagExtra = 0x04, kFlagName = 0x08,
                        kFlagComment = 0x10, kFlagReserved = 0xe0;

struct Member {
  unsigned char xfl = 0;
  std::string_view deflate;  // the raw stream
  std::string_view trailer;  // CRC32 and ISIZE
  std::string content;
};

// The name and comment fields end at a NUL; a missing one runs into "truncated".
std::size_t skip_zero_terminated(const detail::LeReader& in, std::size_t pos) {
  while (in.get(pos, 1) != 0) ++pos;
  return pos + 1;
}

// Calls visit for each member; returns the offset where trailing zero padding starts.
std::size_t for_each_member(std::string_view bytes, const std::string& name, ByteBudget& budget,
                            const std::function<void(Member&)>& visit) {
  detail::LeReader in(bytes, name);
  std::size_t pos = 0;
  int index = 0;
  while (pos < bytes.size()) {
    if (pos > 0 && std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.end(),
                               [](char c) { return c == 0; }))
      return pos;
    std::string what = name + ": gzip member " + std::to_string(index++);
    if (in.get(pos, 1) != 0x1f || in.get(pos + 1, 1) != 0x8b)
      throw_input(pos == 0 ? name + ": not a gzip file"
                           : what + ": trailing garbage after the last member");
    if (in.get(pos + 2, 1) != 8) throw_input(what + ": compression method is not deflate");
    auto flags = static_cast<unsigned char>(in.get(pos + 3, 1));
    if (flags & kFlagReserved) throw_input(what + ": reserved header flags set");
    Member member;
    member.xfl = static_cast<unsigned char>(in.get(pos + 8, 1));
    std::size_t at = pos + 10;
    if (flags & kFlagExtra) at += 2 + std::size_t{in.u16(at)};
    if (flags & kFlagName) at = skip_zero_terminated(in, at);
    if (flags & kFlagComment) at = skip_zero_terminated(in, at);
    if (flags & kFlagHeaderCrc) at += 2;
    in.require(at, 0);
    detail::Inflated inflated = detail::raw_inflate(bytes.substr(at), SIZE_MAX, what, &budget);
    member.deflate = bytes.substr(at, inflated.consumed);
    at += inflated.consumed;
    member.trailer = in.slice(at, 8);
    if (detail::crc32_of(inflated.data) != in.u32(at))
      throw_input(what + ": CRC mismatch (corrupt data)");
    if (static_cast<std::uint32_t>(inflated.data.size()) != in.u32(at + 4))
      throw_input(what + ": size field does not match the content");
    member.content = std::move(inflated.data);
    visit(member);
    pos = at + 8;
  }
  return pos;
}

}  // namespace

bool looks_like_gzip(std::string_view bytes) {
  return bytes.size() >= 3 && bytes.substr(0, 3) == std::string_view("\x1f\x8b\x08", 3);
}

std::string normalize_gzip(std::string_view bytes, const std::string& name) {
  std::string out;
  ByteBudget budget(kInMemoryInflateLimit, "a gzip file may inflate to at most this much");
  std::size_t end = for_each_member(bytes, name, budget, [&](Member& member) {
    out += std::string_view("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
    out += static_cast<char>(member.xfl);
    out += '\x03';
    out += member.deflate;
    out += member.trailer;
  });
  out += bytes.substr(end);
  return out;
}

std::string gzip_decompress(std::string_view bytes, const std::string& name, ByteBudget& budget) {
  std::string out;
  for_each_member(bytes, name, budget, [&](Member& member) { out += member.content; });
  return out;
}

std::string gzip_decompress(std::string_view bytes, const std::string& name) {
  ByteBudget budget(kInMemoryInflateLimit, "a gzip file may inflate to at most this much");
  return gzip_decompress(bytes, name, budget);
}

}  // namespace cleanroom::formats
