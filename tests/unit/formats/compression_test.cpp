#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/compression.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

std::string gunzip(const std::string& in) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out(1 << 22, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

std::string unxz(const std::string& in) {
  std::string out(1 << 25, '\0');
  std::uint64_t limit = UINT64_MAX;
  std::size_t in_pos = 0, out_pos = 0;
  CHECK(lzma_stream_buffer_decode(&limit, 0, nullptr,
                                  reinterpret_cast<const std::uint8_t*>(in.data()), &in_pos,
                                  in.size(), reinterpret_cast<std::uint8_t*>(out.data()),
                                  &out_pos, out.size()) == LZMA_OK);
  out.resize(out_pos);
  return out;
}

std::string unzstd(const std::string& in) {
  std::string out(1 << 25, '\0');
  std::size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string sample() {
  std::mt19937 rng(3);
  std::string s;
  for (int i = 0; i < 300000; ++i) s += static_cast<char>(i % 7 == 0 ? rng() % 256 : 'a' + i % 13);
  return s;
}

// The same input written in irregular slices, as libarchive hands over blocks.
std::string chunked(const std::string& data, Compression c, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out;
  Compressor comp(c, -1, &out, "chunks");
  for (std::size_t at = 0; at < data.size();) {
    std::size_t n = std::min<std::size_t>(data.size() - at, 1 + rng() % 70000);
    comp.write(data.data() + at, n);
    at += n;
  }
  comp.finish();
  return out;
}

}  // namespace

TEST_CASE("compressors round trip through the reference decoders") {
  std::string data = sample();
  CHECK(gunzip(compress(data, Compression::Gzip)) == data);
  CHECK(unxz(compress(data, Compression::Xz)) == data);
  CHECK(unzstd(compress(data, Compression::Zstd)) == data);
  CHECK(compress(data, Compression::None) == data);
}

TEST_CASE("compressed bytes do not depend on how the input was sliced") {
  std::string data = sample();
  for (Compression c : {Compression::Gzip, Compression::Xz, Compression::Zstd}) {
    std::string whole = compress(data, c);
    CHECK(chunked(data, c, 1) == whole);
    CHECK(chunked(data, c, 2) == whole);
  }
}

// The dictionary size in the first block header of an xz stream.
std::uint32_t xz_dict_size(const std::string& xz) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(xz.data());
  lzma_filter filters[LZMA_FILTERS_MAX + 1];
  lzma_block block{};
  block.version = 0;
  block.check = LZMA_CHECK_CRC64;
  block.filters = filters;
  block.header_size = lzma_block_header_size_decode(bytes[LZMA_STREAM_HEADER_SIZE]);
  REQUIRE(lzma_block_header_decode(&block, nullptr, bytes + LZMA_STREAM_HEADER_SIZE) == LZMA_OK);
  std::uint32_t dict = static_cast<lzma_options_lzma*>(filters[0].options)->dict_size;
  for (int i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i) free(filters[i].options);
  return dict;
}

// dpkg-deb's encoders, whatever the input size: xz's multi-threaded one at
// the level's full dictionary, its block header carrying the sizes; zstd
// recording the size of an input that fits one of dpkg's reads
// (ZSTD_CStreamInSize), and not of a larger one.
TEST_CASE("xz and zstd encode as dpkg-deb does: no dictionary sized to the input") {
  std::string small = sample();  // 300 KB
  std::string large = small;
  while (large.size() <= (std::size_t{9} << 20)) large += small;
  CHECK(xz_dict_size(compress(small, Compression::Xz)) == 8u << 20);
  CHECK(xz_dict_size(compress(large, Compression::Xz)) == 8u << 20);
  std::string tiny = small.substr(0, ZSTD_CStreamInSize() - 1);
  CHECK(ZSTD_getFrameContentSize(compress(tiny, Compression::Zstd).data(), 64) == tiny.size());
  CHECK(ZSTD_getFrameContentSize(compress(small, Compression::Zstd).data(), 64) ==
        ZSTD_CONTENTSIZE_UNKNOWN);
  for (Compression c : {Compression::Xz, Compression::Zstd}) {
    std::string whole = compress(large, c);
    CHECK(chunked(large, c, 4) == whole);
    CHECK((c == Compression::Xz ? unxz(whole) : unzstd(whole)) == large);
  }
}

TEST_CASE("levels change the output and bad levels are input errors") {
  std::string data = sample();
  CHECK(compress(data, Compression::Xz, 1) != compress(data, Compression::Xz, 9));
  CHECK(compress(data, Compression::Zstd, -1) == compress(data, Compression::Zstd, 19));
  CHECK_THROWS_WITH(compress(data, Compression::Xz, 12), Catch::Contains("use 1-9"));
  try {
    compress(data, Compression::Gzip, 0);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
  }
}

TEST_CASE("compression names") {
  CHECK(compression_from_word("zst") == Compression::Zstd);
  CHECK(compression_from_word("gzip") == Compression::Gzip);
  CHECK_FALSE(compression_from_word("bzip2"));
  CHECK(compression_suffix(Compression::Xz) == ".xz");
  CHECK(default_level(Compression::Gzip) == 9);
}
