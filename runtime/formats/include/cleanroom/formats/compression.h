// Streaming compressors with fixed settings. Output bytes depend only on the
// input, the compressor and the level: gzip carries no name and a zero
// timestamp, xz and zstd always run single-threaded, because multi-threaded
// encoders split the stream by core count and so change the bytes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cleanroom::formats {

enum class Compression { None, Gzip, Xz, Zstd };

// The fixed default level per compressor: gzip 9, xz 6, zstd 19 (None: 0).
int default_level(Compression compression);
// ".gz", ".xz", ".zst", or "" for None.
std::string compression_suffix(Compression compression);
// Parses "gzip"/"gz", "xz", "zstd"/"zst", "none".
std::optional<Compression> compression_from_word(std::string_view word);

// Writes compressed bytes to a sink the caller owns (an fd, or a string).
class Compressor {
 public:
  // level -1 means default_level(compression). what names the output in errors.
  // dpkg_zstd: zstd with workers, as dpkg-deb writes a .deb's members; else
  // single-threaded, whose bytes do not depend on how libzstd was built (a
  // snapshot's id is its archive's digest).
  Compressor(Compression compression, int level, int out_fd, std::string what,
             bool dpkg_zstd = false);
  Compressor(Compression compression, int level, std::string* out, std::string what);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  // Flushes the stream trailer; must be called once, after the last write.
  void finish();
  std::uint64_t bytes_in() const { return bytes_in_; }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::uint64_t bytes_in_ = 0;
};

std::string compress(std::string_view data, Compression compression, int level = -1);

}  // namespace cleanroom::formats
