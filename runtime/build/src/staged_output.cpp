#include "staged_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::build {

AtomicFile stage_output(const std::string& from, const std::string& target) {
  UniqueFd in = open_fd(from, O_RDONLY | O_NOFOLLOW);
  AtomicFile out(target);
  // In pieces: a release's wheelhouse .deb can be hundreds of megabytes.
  std::string temp = "'" + out.temp_path() + "'";
  for_each_chunk(in.get(), "'" + from + "'",
                 [&](const char* data, std::size_t size) { write_all(out.fd(), data, size, temp); });
  return out;
}

}  // namespace cleanroom::build
