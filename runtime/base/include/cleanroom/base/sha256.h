// SHA-256 (base/digest.h underneath), streaming and one-shot, plus a
// canonical length-prefixed key encoder so that hash keys built from several
// parts never collide (["ab","c"] and ["a","bc"] differ).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cleanroom/base/digest.h"

namespace cleanroom {

class Sha256 : public Digest {
 public:
  Sha256() : Digest(DigestKind::Sha256) {}
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
