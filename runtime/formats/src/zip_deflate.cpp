#include "zip_deflate.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"

namespace cleanroom::formats::detail {

namespace {
// zlib counts in uInt; feeding it at most this much per call keeps huge inputs safe.
constexpr std::size_t kChunk = 1u << 30;

// Hands zlib the next chunk of input once it has used up the previous one.
void refill(z_stream& zs, std::string_view input, std::size_t& pos) {
  if (zs.avail_in != 0 || pos == input.size()) return;
  std::size_t n = std::min(kChunk, input.size() - pos);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + pos));
  zs.avail_in = static_cast<uInt>(n);
  pos += n;
}

std::string zlib_message(const z_stream& zs, int rc) {
  if (zs.msg) return zs.msg;
  return "zlib error " + std::to_string(rc);
}
}  // namespace

std::string raw_deflate(std::string_view data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw_environment("zlib: cannot initialise deflate at level " + std::to_string(level));
  std::string out;
  std::size_t in_pos = 0;
  char buffer[1 << 16];
  int rc = Z_OK;
  do {
    refill(zs, data, in_pos);
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = deflate(&zs, in_pos == data.size() ? Z_FINISH : Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
  } while (rc == Z_OK || rc == Z_BUF_ERROR);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw_failure("zlib: deflate failed: error " + std::to_string(rc));
  return out;
}

Inflated raw_inflate(std::string_view input, std::size_t max_size, const std::string& what,
                     ByteBudget* budget) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) throw_environment("zlib: cannot initialise inflate");
  Inflated result;
  std::size_t in_pos = 0;
  char buffer[1 << 16];
  int rc = Z_OK;
  for (;;) {
    refill(zs, input, in_pos);
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    std::size_t produced = sizeof buffer - zs.avail_out;
    if (budget) {
      try {
        budget->spend(produced, what);
      } catch (...) {
        inflateEnd(&zs);
        throw;
      }
    }
    result.data.append(buffer, produced);
    if (result.data.size() > max_size) {
      inflateEnd(&zs);
      throw_input(what + ": inflates to more than " + std::to_string(max_size) + " bytes");
    }
    if (rc == Z_STREAM_END) break;
    bool stalled = rc == Z_BUF_ERROR && zs.avail_in == 0 && in_pos == input.size();
    if ((rc != Z_OK && rc != Z_BUF_ERROR) || stalled) {
      std::string message = stalled ? "truncated deflate stream" : zlib_message(zs, rc);
      inflateEnd(&zs);
      throw_input(what + ": corrupt compressed data (" + message + ")");
    }
  }
  result.consumed = in_pos - zs.avail_in;
  inflateEnd(&zs);
  return result;
}

std::uint32_t crc32_of(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t n = std::min(kChunk, data.size() - pos);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + pos), static_cast<uInt>(n));
    pos += n;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace cleanroom::formats::detail
