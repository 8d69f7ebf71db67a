#include "cleanroom/base/sha256.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
    throw_environment("libcrypto: cannot initialise SHA-256");
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(state_->ctx, data, size);
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, digest, &len);
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

std::string sha256_file(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY);
  Sha256 h;
  for_each_chunk(fd.get(), "'" + path + "'",
                 [&](const char* data, std::size_t size) { h.update(data, size); });
  return h.hex();
}

HashKey::HashKey(std::string_view domain) { add(domain); }

HashKey& HashKey::add(std::string_view part) {
  encoded_ += 's';
  encoded_ += std::to_string(part.size());
  encoded_ += ':';
  encoded_.append(part);
  return *this;
}

HashKey& HashKey::add(std::uint64_t number) {
  encoded_ += 'n';
  encoded_ += std::to_string(number);
  encoded_ += ';';
  return *this;
}

std::string HashKey::hex() const { return sha256_hex(encoded_); }

}  // namespace cleanroom
