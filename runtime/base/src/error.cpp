#include "cleanroom/base/error.h"

#include <cerrno>
#include <cstring>

namespace cleanroom {

Error::Error(ErrorKind kind, const std::string& message, int err)
    : std::runtime_error(message), kind_(kind), errno_(err) {}

Error Error::with_context(const std::string& context) const {
  return Error(kind_, context + ": " + what(), errno_);
}

std::string errno_name(int err) {
  const char* name = strerrorname_np(err);
  return name ? name : "errno " + std::to_string(err);
}

void throw_errno(const std::string& what, int err, ErrorKind kind) {
  // A full or read-only filesystem is the machine's state, not the build's fault.
  if (kind == ErrorKind::Failure && (err == ENOSPC || err == EDQUOT || err == EROFS))
    kind = ErrorKind::Environment;
  throw Error(kind, what + ": " + errno_name(err) + " (" + std::strerror(err) + ")", err);
}

void throw_errno(const std::string& what) { throw_errno(what, errno); }

void throw_input(const std::string& message) { throw Error(ErrorKind::Input, message); }
void throw_environment(const std::string& message) {
  throw Error(ErrorKind::Environment, message);
}
void throw_failure(const std::string& message) { throw Error(ErrorKind::Failure, message); }

}  // namespace cleanroom
