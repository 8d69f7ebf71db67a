// Python bytecode caches made reproducible (PEP 552). A timestamp-based .pyc
// embeds its source's mtime and size; a checked-hash .pyc instead embeds a
// keyed hash of the source, which only changes when the source does. CPython
// computes that hash as importlib.util.source_hash(): SipHash keyed with the
// interpreter's magic number (SipHash-1-3 from 3.11, SipHash-2-4 in 3.7-3.10),
// so a pyc normalized here is indistinguishable from `py_compile` run with
// invalidation_mode=CHECKED_HASH.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cleanroom::formats {

std::uint64_t siphash(int compression_rounds, int finalization_rounds, std::uint64_t k0,
                      std::uint64_t k1, std::string_view data);

enum class PycKind { Timestamp, CheckedHash, UncheckedHash };

struct PycHeader {
  std::uint16_t magic = 0;  // the version number, e.g. 3495 for Python 3.11
  PycKind kind = PycKind::Timestamp;
  std::uint32_t source_mtime = 0, source_size = 0;  // timestamp-based only
  std::uint64_t source_hash = 0;                      // hash-based only
};

// Throws Error (Input) naming the file for a header that is not a PEP 552 one
// (Python 3.7 or newer).
PycHeader read_pyc_header(std::string_view pyc, const std::string& name_for_errors);

// importlib.util.source_hash() for the interpreter whose magic number is given.
std::uint64_t pyc_source_hash(std::uint16_t magic, std::string_view source);

struct PycSource {
  std::string_view data;
  std::int64_t mtime = 0;
};

struct PycNormalized {
  // False when the pyc does not belong to the source beside it (its recorded
  // mtime/size or hash disagree): Python would not use it, so it should go.
  bool current = true;
  std::string bytes;  // the checked-hash pyc, or unchecked-hash without a source
};

// With the source: a checked-hash pyc (flags 0b11) carrying its hash. Without:
// an unchecked-hash pyc (flags 0b01) with a zero hash, which the sourceless
// loader accepts as it is. The code object after the header is kept as is.
PycNormalized normalize_pyc(std::string_view pyc, const std::optional<PycSource>& source,
                            const std::string& name_for_errors);

}  // namespace cleanroom::formats
