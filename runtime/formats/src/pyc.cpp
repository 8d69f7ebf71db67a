#include "cleanroom/formats/pyc.h"

#include "cleanroom/base/error.h"
#include "zip_bytes.h"

namespace cleanroom::formats {

namespace {

// The first magic numbers of a PEP 552 header (3.7a4) and of the switch of
// _Py_KeyedHash from SipHash-2-4 to SipHash-1-3 (3.11a1).
constexpr std::uint16_t kFirstPep552Magic = 3392;
constexpr std::uint16_t kFirstSipHash13Magic = 3450;
constexpr std::uint32_t kFlagHashBased = 0x1, kFlagCheckSource = 0x2;

std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

struct SipState {
  std::uint64_t v0, v1, v2, v3;
  void rounds(int n) {
    for (int i = 0; i < n; ++i) {
      v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
      v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
      v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
      v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
  }
};

}  // namespace

std::uint64_t siphash(int c, int d, std::uint64_t k0, std::uint64_t k1, std::string_view data) {
  SipState s{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
             k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
  detail::LeReader in(data, "siphash");
  std::size_t full = data.size() / 8 * 8;
  for (std::size_t i = 0; i < full; i += 8) {
    std::uint64_t m = in.u64(i);
    s.v3 ^= m;
    s.rounds(c);
    s.v0 ^= m;
  }
  std::uint64_t last = static_cast<std::uint64_t>(data.size()) << 56;
  for (std::size_t i = full; i < data.size(); ++i)
    last |= std::uint64_t{static_cast<unsigned char>(data[i])} << (8 * (i - full));
  s.v3 ^= last;
  s.rounds(c);
  s.v0 ^= last;
  s.v2 ^= 0xff;
  s.rounds(d);
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

PycHeader read_pyc_header(std::string_view pyc, const std::string& name) {
  detail::LeReader in(pyc, name + ": pyc header");
  PycHeader header;
  header.magic = in.u16(0);
  if (in.u16(2) != 0x0a0d) throw_input(name + ": not a Python bytecode file (bad magic)");
  if (header.magic < kFirstPep552Magic)
    throw_input(name + ": bytecode for Python before 3.7 (magic " + std::to_string(header.magic) +
                ") has no hash-based form");
  std::uint32_t flags = in.u32(4);
  if (flags & ~(kFlagHashBased | kFlagCheckSource) || flags == kFlagCheckSource)
    throw_input(name + ": invalid pyc flags " + std::to_string(flags));
  in.require(0, 16);
  if (flags == 0) {
    header.kind = PycKind::Timestamp;
    header.source_mtime = in.u32(8);
    header.source_size = in.u32(12);
  } else {
    header.kind = (flags & kFlagCheckSource) ? PycKind::CheckedHash : PycKind::UncheckedHash;
    header.source_hash = in.u64(8);
  }
  return header;
}

std::uint64_t pyc_source_hash(std::uint16_t magic, std::string_view source) {
  // The key is importlib's _RAW_MAGIC_NUMBER: all four magic bytes, "\r\n" included.
  std::uint64_t key = magic | (std::uint64_t{0x0a0d} << 16);
  return magic >= kFirstSipHash13Magic ? siphash(1, 3, key, 0, source)
                                       : siphash(2, 4, key, 0, source);
}

PycNormalized normalize_pyc(std::string_view pyc, const std::optional<PycSource>& source,
                            const std::string& name) {
  PycHeader header = read_pyc_header(pyc, name);
  PycNormalized result;
  std::uint64_t hash = 0;
  std::uint32_t flags = kFlagHashBased;
  if (source) {
    hash = pyc_source_hash(header.magic, source->data);
    flags |= kFlagCheckSource;
    // The same tests importlib makes before trusting a cache.
    if (header.kind == PycKind::Timestamp)
      result.current = header.source_mtime == static_cast<std::uint32_t>(source->mtime) &&
                       header.source_size == static_cast<std::uint32_t>(source->data.size());
    else if (header.kind == PycKind::CheckedHash)
      result.current = header.source_hash == hash;
  }
  detail::put_le(result.bytes, header.magic, 2);
  result.bytes += "\r\n";
  detail::put_le(result.bytes, flags, 4);
  detail::put_le(result.bytes, hash, 8);
  result.bytes += pyc.substr(16);
  return result;
}

}  // namespace cleanroom::formats
