// Files a sandboxed build wrote are untrusted input to the host process, which
// may run as root: the build can replace any file it can write with a symlink
// to a host file, a hardlink, a FIFO or something huge. Every host-side read or
// copy of such a file goes through here: opened beneath its directory with no
// symlink followed anywhere on the way (open_beneath.h), O_NONBLOCK so that a
// FIFO cannot hang us, and then accepted only as a regular file with one link
// and at most max_bytes. Anything else is an Error(Failure) naming the file and
// what was wrong with it.
#pragma once

#include <cstdint>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

// Caps for callers: text a step writes (logs, probe results, package lists),
// and archives (wheels, .debs: a release's wheelhouse .deb can be gigabytes).
inline constexpr std::uint64_t kSandboxTextMax = std::uint64_t{64} << 20;
inline constexpr std::uint64_t kSandboxArchiveMax = std::uint64_t{16} << 30;

// Who handed over an untrusted file, for its messages ("'dir/rel' NAMED_BY is
// a symbolic link; ...") and the kind of error a refusal is.
struct FileSource {
  const char* named_by;
  ErrorKind kind;
};

// The checks below for any untrusted file: beneath dir, no link followed,
// O_NONBLOCK, one regular file with one link, at most max_bytes.
UniqueFd open_untrusted_file(const std::string& dir, const std::string& relative,
                             std::uint64_t max_bytes, const FileSource& source);
std::string read_untrusted_file(const std::string& dir, const std::string& relative,
                                std::uint64_t max_bytes, const FileSource& source);

// `relative` is beneath `dir` (the directory cleanroom made and bound into the
// sandbox), relative and free of ".."; messages show "dir/relative".
UniqueFd open_sandbox_file(const std::string& dir, const std::string& relative,
                           std::uint64_t max_bytes);
std::string read_sandbox_file(const std::string& dir, const std::string& relative,
                              std::uint64_t max_bytes);

// Copies the file through the checked fd into an AtomicFile for target (its
// temporary is made O_NOFOLLOW and the rename replaces, never follows, a link
// at target), uncommitted: the caller commits, so several outputs can be
// published together.
AtomicFile stage_sandbox_file(const std::string& dir, const std::string& relative,
                              const std::string& target, std::uint64_t max_bytes,
                              unsigned mode = 0644);
// The same, committed.
void copy_sandbox_file(const std::string& dir, const std::string& relative,
                       const std::string& target, std::uint64_t max_bytes, unsigned mode = 0644);

}  // namespace cleanroom
