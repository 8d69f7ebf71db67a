#include "mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::repro::detail {

MappedFile::MappedFile(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno("stat '" + path + "'", errno, ErrorKind::Input);
  std::size_t size = static_cast<std::size_t>(st.st_size);
  // Size 0 may be a /proc file that still has content, and a file system may
  // refuse mmap: both are read instead.
  void* p = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0) : MAP_FAILED;
  if (p == MAP_FAILED) {
    read_ = read_file(path);
    data_ = read_.data();
    size_ = read_.size();
    return;
  }
  // Both inputs are read front to back: ask for generous read-ahead.
  ::madvise(p, size, MADV_SEQUENTIAL);
  mapped_ = static_cast<const char*>(p);
  data_ = mapped_;
  size_ = size;
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<char*>(mapped_), size_);
}

}  // namespace cleanroom::repro::detail
