#include "mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::repro::detail {

MappedFile::MappedFile(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno("stat '" + path + "'", errno, ErrorKind::Input);
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ == 0) return;  // mmap refuses empty lengths; an empty view is the content
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) throw_errno("mmap '" + path + "'", errno, ErrorKind::Input);
  // Both inputs are read front to back: ask for generous read-ahead.
  ::madvise(p, size_, MADV_SEQUENTIAL);
  data_ = static_cast<const char*>(p);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace cleanroom::repro::detail
