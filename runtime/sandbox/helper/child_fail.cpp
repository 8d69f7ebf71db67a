#include <unistd.h>

#include <cerrno>

#include "child.h"

namespace cleanroom::sandbox::helper {

void child_fail(int error_fd, SetupStep step, int err, int mount) {
  ChildError record{static_cast<std::int32_t>(step), err, mount};
  // A pipe write of this size is atomic; nothing useful can be done if it fails.
  ssize_t n;
  do {
    n = ::write(error_fd, &record, sizeof record);
  } while (n < 0 && errno == EINTR);
  ::_exit(step == SetupStep::Exec ? (err == ENOENT ? 127 : 126) : 3);
}

}  // namespace cleanroom::sandbox::helper
