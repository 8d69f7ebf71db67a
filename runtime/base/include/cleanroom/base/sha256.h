// SHA-256 (OpenSSL's libcrypto underneath), streaming and one-shot, plus a
// canonical length-prefixed key encoder so that hash keys built from several
// parts never collide (["ab","c"] and ["a","bc"] differ).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cleanroom {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  std::string hex();  // finalizes; 64 lowercase hex digits

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::string& path);

// Builds a hash key from typed, length-prefixed parts.
class HashKey {
 public:
  explicit HashKey(std::string_view domain);  // e.g. "layer/v1"
  HashKey& add(std::string_view part);
  HashKey& add(std::uint64_t number);
  std::string hex() const;

 private:
  std::string encoded_;
};

}  // namespace cleanroom
