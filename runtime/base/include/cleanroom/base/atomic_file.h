// Publishing a file atomically: write to a temporary name in the destination's
// directory, fsync, rename over the target, fsync the directory. Until commit()
// the target is untouched; an AtomicFile destroyed uncommitted removes its
// temporary, so an interrupted run leaves no half-written output. The
// temporary's name, .NAME.tmp-RANDOM, comes from the kernel's random pool and
// is created O_EXCL | O_NOFOLLOW | O_NONBLOCK: nothing planted beside the
// target in advance (a FIFO, a link) is opened, waited on or written through.
// A writer locks its temporary (flock) while it writes; the next writer of the
// same target removes what a killed one left.
#pragma once

#include <string>
#include <string_view>

#include "cleanroom/base/path.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

class AtomicFile {
 public:
  explicit AtomicFile(std::string target, unsigned mode = 0644);
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  int fd() const { return fd_.get(); }
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  void write(std::string_view data);
  void commit();

 private:
  std::string target_;
  std::string temp_;
  UniqueFd fd_;
  bool committed_ = false;
};

void write_file_atomic(const std::string& path, std::string_view data, unsigned mode = 0644);
std::string read_file(const std::string& path);
void fsync_dir(const std::string& dir);

}  // namespace cleanroom
