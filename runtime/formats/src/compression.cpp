// The three compressors dpkg reads, driven directly through their libraries
// rather than libarchive's filters, so that every setting that could change the
// output (gzip header fields, xz check type, zstd worker count) is set here.
#include "cleanroom/formats/compression.h"

#include <fmt/format.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::formats {

int default_level(Compression compression) {
  switch (compression) {
    case Compression::Gzip:
      return 9;
    case Compression::Xz:
      return 6;
    case Compression::Zstd:
      return 19;
    case Compression::None:
      return 0;
  }
  return 0;
}

std::string compression_suffix(Compression compression) {
  switch (compression) {
    case Compression::Gzip:
      return ".gz";
    case Compression::Xz:
      return ".xz";
    case Compression::Zstd:
      return ".zst";
    case Compression::None:
      return "";
  }
  return "";
}

std::optional<Compression> compression_from_word(std::string_view word) {
  if (word == "gzip" || word == "gz") return Compression::Gzip;
  if (word == "xz") return Compression::Xz;
  if (word == "zstd" || word == "zst") return Compression::Zstd;
  if (word == "none") return Compression::None;
  return std::nullopt;
}

namespace {

constexpr std::size_t kChunk = 1 << 16;

// Where compressed bytes go.
struct Sink {
  int fd = -1;
  std::string* out = nullptr;
  std::string what;
  void put(const void* data, std::size_t size) {
    if (size == 0) return;
    if (out) {
      out->append(static_cast<const char*>(data), size);
    } else {
      write_all(fd, data, size, what);
    }
  }
};

}  // namespace

struct Compressor::Impl {
  explicit Impl(Sink s) : sink(std::move(s)) {}
  virtual ~Impl() = default;
  virtual void write(const void* data, std::size_t size) = 0;
  virtual void finish() = 0;
  Sink sink;
};

namespace {

struct PlainImpl final : Compressor::Impl {
  using Impl::Impl;
  void write(const void* data, std::size_t size) override { sink.put(data, size); }
  void finish() override {}
};

struct GzipImpl final : Compressor::Impl {
  GzipImpl(Sink s, int level) : Impl(std::move(s)) {
    // windowBits 15+16: a gzip wrapper whose default header has mtime 0, no
    // file name and a fixed OS byte, so nothing of the host leaks in.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
      throw_failure(fmt::format("gzip: cannot initialize level {} for {}", level, sink.what));
  }
  ~GzipImpl() override { deflateEnd(&z); }
  void run(const void* data, std::size_t size, int flush) {
    z.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z.avail_in = static_cast<uInt>(size);
    unsigned char buf[kChunk];
    int rc;
    do {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) throw_failure("gzip: stream error writing " + sink.what);
      sink.put(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  void write(const void* data, std::size_t size) override {
    // avail_in is 32-bit: feed very large buffers in slices.
    auto* p = static_cast<const char*>(data);
    while (size > 0) {
      std::size_t n = std::min<std::size_t>(size, 1u << 30);
      run(p, n, Z_NO_FLUSH);
      p += n;
      size -= n;
    }
  }
  void finish() override { run(nullptr, 0, Z_FINISH); }
  z_stream z{};
};

// An encoder sized for its level's window spends more time allocating and
// clearing its match tables than compressing a small input (xz -6 clears 94 MB
// for a 2 KB control.tar). So input is held back up to that window size: when
// the stream ends first, the encoder is told the exact size and sizes its
// tables (and, for xz, the window) to it. That size depends only on the input,
// so the bytes still do; inputs larger than the window stream as before.
constexpr std::size_t kHeldBack = std::size_t{8} << 20;

struct HeldBackImpl : Compressor::Impl {
  using Impl::Impl;
  void write(const void* data, std::size_t size) final {
    if (started_) return encode(data, size);
    held_.append(static_cast<const char*>(data), size);
    if (held_.size() > kHeldBack) start_with(std::nullopt);
  }
  void finish() final {
    if (!started_) start_with(held_.size());
    end();
  }

 protected:
  virtual void start(std::optional<std::size_t> total) = 0;
  virtual void encode(const void* data, std::size_t size) = 0;
  virtual void end() = 0;

 private:
  void start_with(std::optional<std::size_t> total) {
    start(total);
    started_ = true;
    std::string held = std::move(held_);
    held_.clear();
    encode(held.data(), held.size());
  }
  bool started_ = false;
  std::string held_;
};

struct XzImpl final : HeldBackImpl {
  XzImpl(Sink s, int level) : HeldBackImpl(std::move(s)) {
    if (lzma_lzma_preset(&options_, static_cast<std::uint32_t>(level)) != 0)
      throw_failure(fmt::format("xz: no preset {} for {}", level, sink.what));
  }
  ~XzImpl() override { lzma_end(&z); }
  void start(std::optional<std::size_t> total) override {
    // One filter chain of the single-threaded encoder: one block, whatever the
    // core count. CRC64 is what xz(1) and dpkg-deb write.
    lzma_options_lzma options = options_;
    if (total) {
      std::uint32_t dict = LZMA_DICT_SIZE_MIN;
      while (dict < *total && dict < options.dict_size) dict *= 2;
      options.dict_size = std::min(dict, options.dict_size);
    }
    lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &options}, {LZMA_VLI_UNKNOWN, nullptr}};
    if (lzma_stream_encoder(&z, filters, LZMA_CHECK_CRC64) != LZMA_OK)
      throw_failure(fmt::format("xz: cannot initialize the encoder for {}", sink.what));
  }
  void run(const void* data, std::size_t size, lzma_action action) {
    z.next_in = static_cast<const std::uint8_t*>(data);
    z.avail_in = size;
    std::uint8_t buf[kChunk];
    for (;;) {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      lzma_ret rc = lzma_code(&z, action);
      sink.put(buf, sizeof buf - z.avail_out);
      if (rc == LZMA_STREAM_END) return;
      if (rc != LZMA_OK)
        throw_failure(fmt::format("xz: error {} writing {}", static_cast<int>(rc), sink.what));
      if (action == LZMA_RUN && z.avail_in == 0 && z.avail_out != 0) return;
    }
  }
  void encode(const void* data, std::size_t size) override { run(data, size, LZMA_RUN); }
  void end() override { run(nullptr, 0, LZMA_FINISH); }
  lzma_options_lzma options_{};
  lzma_stream z = LZMA_STREAM_INIT;
};

struct ZstdImpl final : HeldBackImpl {
  ZstdImpl(Sink s, int level) : HeldBackImpl(std::move(s)), z(ZSTD_createCCtx()) {
    if (!z) throw_failure("zstd: cannot allocate a context for " + sink.what);
    set(ZSTD_c_compressionLevel, level);
    // No workers: the frame layout must not depend on how many cores there are.
    set(ZSTD_c_nbWorkers, 0);
    set(ZSTD_c_checksumFlag, 1);
  }
  ~ZstdImpl() override { ZSTD_freeCCtx(z); }
  void set(ZSTD_cParameter p, int value) {
    std::size_t rc = ZSTD_CCtx_setParameter(z, p, value);
    if (ZSTD_isError(rc))
      throw_failure(fmt::format("zstd: {} for {}", ZSTD_getErrorName(rc), sink.what));
  }
  void start(std::optional<std::size_t> total) override {
    if (!total) return;
    std::size_t rc = ZSTD_CCtx_setPledgedSrcSize(z, *total);
    if (ZSTD_isError(rc))
      throw_failure(fmt::format("zstd: {} for {}", ZSTD_getErrorName(rc), sink.what));
  }
  void run(const void* data, std::size_t size, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data, size, 0};
    char buf[kChunk];
    for (;;) {
      ZSTD_outBuffer out{buf, sizeof buf, 0};
      std::size_t left = ZSTD_compressStream2(z, &out, &in, mode);
      if (ZSTD_isError(left))
        throw_failure(fmt::format("zstd: {} writing {}", ZSTD_getErrorName(left), sink.what));
      sink.put(buf, out.pos);
      bool done = mode == ZSTD_e_end ? left == 0 : in.pos == in.size;
      if (done) return;
    }
  }
  void encode(const void* data, std::size_t size) override { run(data, size, ZSTD_e_continue); }
  void end() override { run(nullptr, 0, ZSTD_e_end); }
  ZSTD_CCtx* z;
};

std::unique_ptr<Compressor::Impl> make_impl(Compression compression, int level, Sink sink) {
  if (level < 0) level = default_level(compression);
  int max = compression == Compression::Zstd ? 22 : 9;
  if (compression != Compression::None && (level < 1 || level > max))
    throw_input(fmt::format("compression level {} for {}: use 1-{}", level, sink.what, max));
  switch (compression) {
    case Compression::Gzip:
      return std::make_unique<GzipImpl>(std::move(sink), level);
    case Compression::Xz:
      return std::make_unique<XzImpl>(std::move(sink), level);
    case Compression::Zstd:
      return std::make_unique<ZstdImpl>(std::move(sink), level);
    case Compression::None:
      break;
  }
  return std::make_unique<PlainImpl>(std::move(sink));
}

}  // namespace

Compressor::Compressor(Compression compression, int level, int out_fd, std::string what)
    : impl_(make_impl(compression, level, Sink{out_fd, nullptr, std::move(what)})) {}

Compressor::Compressor(Compression compression, int level, std::string* out, std::string what)
    : impl_(make_impl(compression, level, Sink{-1, out, std::move(what)})) {}

Compressor::~Compressor() = default;

void Compressor::write(const void* data, std::size_t size) {
  impl_->write(data, size);
  bytes_in_ += size;
}

void Compressor::finish() { impl_->finish(); }

std::string compress(std::string_view data, Compression compression, int level) {
  std::string out;
  Compressor c(compression, level, &out, "memory buffer");
  c.write(data);
  c.finish();
  return out;
}

}  // namespace cleanroom::formats
