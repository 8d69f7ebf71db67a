// The three compressors dpkg reads, driven directly through their libraries
// rather than libarchive's filters, so that every setting that could change the
// output (gzip header fields, xz check type and encoder, zstd workers) is set
// here, to what dpkg-deb (1.21, bookworm) sets.
#include "cleanroom/formats/compression.h"

#include <fmt/format.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

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
    // file name and a fixed OS byte, so nothing of the host leaks in. memLevel
    // 8 is zlib's default, what gzdopen (dpkg-deb's gzip) uses: 9 gives other bytes.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
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

// dpkg-deb's encoder (lib/dpkg/compress.c, dpkg 1.21): liblzma's
// multi-threaded stream encoder at the preset, CRC64, block_size 0. Block
// boundaries then fall every 3 dictionary sizes of input (24 MiB at -6), not
// per thread, so the bytes do not depend on the thread count; the encoder
// writes each block's sizes into its header, which is what makes its output
// differ from the single-threaded encoder's.
struct XzImpl final : Compressor::Impl {
  XzImpl(Sink s, int level) : Impl(std::move(s)) {
    lzma_mt mt{};
    mt.preset = static_cast<std::uint32_t>(level);
    mt.check = LZMA_CHECK_CRC64;
    mt.threads = std::clamp<std::uint32_t>(lzma_cputhreads(), 1, 4);
    if (lzma_stream_encoder_mt(&z, &mt) != LZMA_OK)
      throw_failure(fmt::format("xz: cannot initialize the level {} encoder for {}", level,
                                sink.what));
  }
  ~XzImpl() override { lzma_end(&z); }
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
  void write(const void* data, std::size_t size) override { run(data, size, LZMA_RUN); }
  void finish() override { run(nullptr, 0, LZMA_FINISH); }
  lzma_stream z = LZMA_STREAM_INIT;
};

// dpkg-deb's zstd (lib/dpkg/compress.c): the checksum on, workers, and input
// handed over as it reads it: ZSTD_CStreamInSize() bytes at a time, the first
// shorter read (the end) with ZSTD_e_end. zstd then knows the whole size of an
// input that fits one read (control.tar) and records it, shrinking the window.
// Its multi-threaded mode cuts jobs by its parameters, not by the worker count,
// so one worker or four give the same bytes, as dpkg's on a machine of two
// cores or more; no workers (the single-threaded path) gives other bytes.
struct ZstdImpl final : Compressor::Impl {
  ZstdImpl(Sink s, int level, bool dpkg_zstd)
      : Impl(std::move(s)), z(ZSTD_createCCtx()), read_size(ZSTD_CStreamInSize()) {
    if (!z) throw_failure("zstd: cannot allocate a context for " + sink.what);
    set(ZSTD_c_compressionLevel, level);
    set(ZSTD_c_checksumFlag, 1);
    if (!dpkg_zstd) return;  // single-threaded: the same bytes from any libzstd
    // A libzstd built without threads (Debian's static libzstd.a) refuses
    // workers; it then writes single-threaded, which a .deb's zstd members
    // show as other bytes than dpkg-deb's (docs/formats.md).
    std::size_t rc = ZSTD_CCtx_setParameter(
        z, ZSTD_c_nbWorkers, static_cast<int>(std::clamp(lzma_cputhreads(), 1u, 4u)));
    if (ZSTD_isError(rc) && ZSTD_getErrorCode(rc) != ZSTD_error_parameter_unsupported)
      throw_failure(fmt::format("zstd: {} for {}", ZSTD_getErrorName(rc), sink.what));
  }
  ~ZstdImpl() override { ZSTD_freeCCtx(z); }
  void set(ZSTD_cParameter p, int value) {
    std::size_t rc = ZSTD_CCtx_setParameter(z, p, value);
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
  void write(const void* data, std::size_t size) override {
    auto* p = static_cast<const char*>(data);
    while (size > 0) {
      std::size_t n = std::min(size, read_size - pending.size());
      pending.append(p, n);
      p += n;
      size -= n;
      if (pending.size() == read_size) {
        run(pending.data(), pending.size(), ZSTD_e_continue);
        pending.clear();
      }
    }
  }
  void finish() override { run(pending.data(), pending.size(), ZSTD_e_end); }
  ZSTD_CCtx* z;
  std::size_t read_size;
  std::string pending;
};

std::unique_ptr<Compressor::Impl> make_impl(Compression compression, int level, Sink sink,
                                            bool dpkg_zstd = false) {
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
      return std::make_unique<ZstdImpl>(std::move(sink), level, dpkg_zstd);
    case Compression::None:
      break;
  }
  return std::make_unique<PlainImpl>(std::move(sink));
}

}  // namespace

Compressor::Compressor(Compression compression, int level, int out_fd, std::string what,
                       bool dpkg_zstd)
    : impl_(make_impl(compression, level, Sink{out_fd, nullptr, std::move(what)}, dpkg_zstd)) {}

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
