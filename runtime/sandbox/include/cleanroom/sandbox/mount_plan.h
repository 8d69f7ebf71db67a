// The mount plan: a declarative list of mount entries the helper applies in
// order with one loop. Built here from what a caller asks for, so the whole
// filesystem view of a sandbox can be printed and unit-tested without privileges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox {

struct FileOwner {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

struct BindRequest {
  std::string source;  // host path, must exist
  std::string target;  // absolute path inside the sandbox
  bool read_only = false;
  // The caller's own files (--bind), not a build tree of cleanroom's: when
  // writable, the sandbox may create no setuid or setgid file and no file
  // capability anywhere, since what it writes there outlives it on the host.
  bool callers_files = false;
  // Who the sandbox's root writes as here; nullopt: the source's owner.
  std::optional<FileOwner> owner;
};

// Parses "SRC:DST[:ro|:rw]" (the --bind syntax) into a bind of the caller's
// files. Throws Error(Input).
BindRequest parse_bind(const std::string& text);

struct MountRequest {
  std::vector<std::string> lower_dirs;  // top-most first, like overlayfs' lowerdir
  // Both empty: a throw-away tmpfs upper. Both set: changes kept on the host.
  std::string upper_dir;
  std::string work_dir;
  std::vector<BindRequest> binds;
  bool network = false;   // adds /etc/resolv.conf from the host, read-only
  std::string workdir;    // created if missing when not "/"
};

// Throws Error(Input) for relative paths, ".." components and missing sources.
std::vector<MountEntry> plan_mounts(const MountRequest& request);

// One line per entry, for logs and `--verbose`.
std::string describe_mounts(const std::vector<MountEntry>& mounts);

}  // namespace cleanroom::sandbox
