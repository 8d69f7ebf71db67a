// A regular file's bytes, mapped read-only instead of copied into memory: the
// members of two differing 50 MB inputs are viewed in place, without copying
// them or faulting in 100 MB of fresh memory. The file must not be truncated
// while mapped (as with any mmap reader, that would end in SIGBUS).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroom::repro::detail {

class MappedFile {
 public:
  // Throws Error (Input) when path cannot be opened or read.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* mapped_ = nullptr;  // what to unmap, if mapped
  std::string read_;              // the content, if read instead
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace cleanroom::repro::detail
