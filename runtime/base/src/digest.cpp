#include "cleanroom/base/digest.h"

#include <fcntl.h>
#include <nettle/nettle-meta.h>

#include <cstdint>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

namespace {
const nettle_hash* hash_of(DigestKind kind) {
  switch (kind) {
    case DigestKind::Md5: return &nettle_md5;
    case DigestKind::Sha1: return &nettle_sha1;
    case DigestKind::Sha256: break;
  }
  return &nettle_sha256;
}
}  // namespace

Digest::Digest(DigestKind kind)
    : hash_(hash_of(kind)),
      context_(new std::max_align_t[(hash_->context_size + sizeof(std::max_align_t) - 1) /
                                    sizeof(std::max_align_t)]) {
  hash_->init(context_.get());
}

Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(const void* data, std::size_t size) {
  hash_->update(context_.get(), size, static_cast<const std::uint8_t*>(data));
}

std::string Digest::hex() {
  std::uint8_t digest[64];
  hash_->digest(context_.get(), hash_->digest_size, digest);
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash_->digest_size * 2);
  for (unsigned i = 0; i < hash_->digest_size; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

std::string file_digest_hex(DigestKind kind, const std::string& path, int open_flags) {
  UniqueFd fd = open_fd(path, O_RDONLY | open_flags);
  Digest digest(kind);
  for_each_chunk(fd.get(), "'" + path + "'",
                 [&](const char* data, std::size_t size) { digest.update(data, size); });
  return digest.hex();
}

}  // namespace cleanroom
