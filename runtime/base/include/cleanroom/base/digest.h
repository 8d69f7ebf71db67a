// Message digests, nettle underneath (the library libarchive already links).
// SHA-256 names snapshots, layers and artifacts; MD5 and SHA-1 exist only
// because Debian's Checksums fields and DEBIAN/md5sums still carry them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct nettle_hash;

namespace cleanroom {

enum class DigestKind { Md5, Sha1, Sha256 };

class Digest {
 public:
  explicit Digest(DigestKind kind);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  std::string hex();  // finalizes; lowercase hex digits

 private:
  const nettle_hash* hash_;
  std::unique_ptr<std::max_align_t[]> context_;
};

// The hex digest of a whole file, read once.
std::string file_digest_hex(DigestKind kind, const std::string& path, int open_flags = 0);

}  // namespace cleanroom
