// Raw deflate streams (no zlib or gzip wrapper) as zip and gzip store them, on
// zlib. Private to the formats library: zlib's headers stay out of public ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cleanroom {
class ByteBudget;
}

namespace cleanroom::formats::detail {

// Deterministic for a given zlib build: fixed window (15), memLevel (8) and strategy.
std::string raw_deflate(std::string_view data, int level);

struct Inflated {
  std::string data;
  std::size_t consumed = 0;  // input bytes the deflate stream used, up to its end marker
};

// Inflates one raw deflate stream from the start of input. Throws Error (Input)
// prefixed with what when the stream is corrupt, truncated, or would exceed max_size;
// what it inflates is spent from budget, when given, as it goes.
Inflated raw_inflate(std::string_view input, std::size_t max_size, const std::string& what,
                     ByteBudget* budget = nullptr);

std::uint32_t crc32_of(std::string_view data);

}  // namespace cleanroom::formats::detail
