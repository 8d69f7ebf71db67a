// One error type for the whole program. A message grows context as it crosses
// layers ("snapshot 'bookworm': unpack: open '/x': ENOENT"), and carries the exit
// code class the CLI turns it into (README.md: 1 failure, 2 input, 3 environment;
// 128+N when signal N asked cleanroom to stop).
#pragma once

#include <stdexcept>
#include <string>

namespace cleanroom {

enum class ErrorKind {
  Failure = 1,      // a build, verify or comparison failed
  Input = 2,        // bad usage, bad file, missing snapshot: the user can fix it
  Environment = 3,  // missing kernel feature or tool: the machine needs fixing
  Interrupted = 4,  // SIGINT, SIGTERM, ... asked to stop; the error number is the signal
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, int err = 0);

  ErrorKind kind() const { return kind_; }
  int error_number() const { return errno_; }
  // 128 + the signal for Interrupted, as a shell reports a process it signalled.
  int exit_code() const {
    return kind_ == ErrorKind::Interrupted ? 128 + errno_ : static_cast<int>(kind_);
  }

  // A new error with "context: " in front of the message, same kind and errno.
  Error with_context(const std::string& context) const;

 private:
  ErrorKind kind_;
  int errno_;
};

// Input refused because it is built to exhaust its reader (zip entries sharing
// one compressed stream, ...). Readers that fall back to comparing content they
// cannot parse as plain bytes rethrow this one: it is an answer, exit 2.
class HostileInput : public Error {
 public:
  explicit HostileInput(const std::string& message) : Error(ErrorKind::Input, message) {}
};

// "what: strerror-name (message)" from errno, kind Failure unless given.
[[noreturn]] void throw_errno(const std::string& what, int err,
                              ErrorKind kind = ErrorKind::Failure);
[[noreturn]] void throw_errno(const std::string& what);  // uses current errno

[[noreturn]] void throw_input(const std::string& message);
[[noreturn]] void throw_environment(const std::string& message);
[[noreturn]] void throw_failure(const std::string& message);

// "ENOENT" for 2: stable names for logs and tests.
std::string errno_name(int err);

// Runs fn; an Error escaping it gets "context: " prefixed.
template <typename Fn>
auto with_context(const std::string& context, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw e.with_context(context);
  }
}

}  // namespace cleanroom
