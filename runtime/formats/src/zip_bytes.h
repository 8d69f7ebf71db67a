// Little-endian field access for the binary formats this library parses (zip,
// gzip, pyc). Every read is bounds-checked against the buffer so that corrupt or
// truncated input becomes an Error naming the file, never an out-of-range read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cleanroom/base/error.h"

namespace cleanroom::formats::detail {

class LeReader {
 public:
  LeReader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  std::uint64_t get(std::size_t offset, int width) const {
    require(offset, static_cast<std::size_t>(width));
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i)
      value = (value << 8) | static_cast<unsigned char>(bytes_[offset + static_cast<std::size_t>(i)]);
    return value;
  }
  std::uint16_t u16(std::size_t offset) const { return static_cast<std::uint16_t>(get(offset, 2)); }
  std::uint32_t u32(std::size_t offset) const { return static_cast<std::uint32_t>(get(offset, 4)); }
  std::uint64_t u64(std::size_t offset) const { return get(offset, 8); }
  std::string_view slice(std::size_t offset, std::uint64_t size) const {
    require(offset, size);
    return bytes_.substr(offset, static_cast<std::size_t>(size));
  }
  std::size_t size() const { return bytes_.size(); }

  void require(std::size_t offset, std::uint64_t size) const {
    if (offset > bytes_.size() || size > bytes_.size() - offset)
      throw_input(what_ + ": truncated (needs " + std::to_string(size) + " bytes at offset " +
                  std::to_string(offset) + ", file has " + std::to_string(bytes_.size()) + ")");
  }

 private:
  std::string_view bytes_;
  std::string what_;
};

inline void put_le(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace cleanroom::formats::detail
