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
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(in.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(fmt::format("read '{}'", from));
    }
    if (n == 0) break;
    write_all(out.fd(), buf, static_cast<std::size_t>(n), "'" + out.temp_path() + "'");
  }
  return out;
}

}  // namespace cleanroom::build
