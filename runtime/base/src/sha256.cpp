#include "cleanroom/base/sha256.h"


namespace cleanroom {

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

std::string sha256_file(const std::string& path) {
  return file_digest_hex(DigestKind::Sha256, path);
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
