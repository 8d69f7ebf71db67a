#include "cleanroom/pipeline/staged_output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/temp_dir.h"

namespace cleanroom::build {

void prepare_output_dir(const std::string& dir, const std::string& option) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
    throw_input(fmt::format("output directory '{}' is not a directory; give a directory with {}",
                            dir, option));
  try {
    make_dirs(dir);
  } catch (const Error& e) {
    // A full or read-only disk stays the machine's problem (exit 3).
    ErrorKind kind = e.kind() == ErrorKind::Environment ? e.kind() : ErrorKind::Input;
    throw Error(kind, fmt::format("output directory: {}", e.what()), e.error_number());
  }
  if (::access(dir.c_str(), W_OK) != 0)
    throw_errno(fmt::format("output directory '{}'", dir), errno, ErrorKind::Input);
}

std::string keep_or_temp_dir(const std::string& keep_dir, const std::string& temp_prefix,
                             std::optional<TempDir>& work) {
  if (keep_dir.empty()) {
    work.emplace(temp_prefix);
    return work->path();
  }
  prepare_output_dir(keep_dir, "--keep");
  return keep_dir;
}

AtomicFile stage_output(const std::string& from, const std::string& target) {
  // The build log's directory is bound into every step, so even the log is
  // the sandbox's to replace: every output is copied as a sandbox-written file.
  return stage_sandbox_file(parent_dir(from), file_name(from), target, kSandboxArchiveMax);
}

}  // namespace cleanroom::build
