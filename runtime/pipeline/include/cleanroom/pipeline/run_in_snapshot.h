// `cleanroom run`: one command in a fresh, disposable copy of a snapshot. The
// composition of the store (which tree, which ids) and the sandbox (everything
// else); nothing of the run survives it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cleanroom::build {

struct RunOptions {
  std::string store_path;              // "" : store::default_store_path
  std::string snapshot = "bookworm";   // name, id or unique id prefix
  std::vector<std::string> binds;      // "SRC:DST[:ro]"
  std::string bind_owner;              // "USER[:GROUP]" writable binds write as; "": each source's owner
  bool network = false;
  std::string workdir;                 // "" : "/"
  std::vector<std::string> env;        // "K=V"
  std::uint64_t timeout_seconds = 0;   // 0: none
  std::string hostname = "cleanroom";
  std::string domainname;
  std::vector<std::string> rlimits;    // "NAME=SOFT[:HARD]" over the defaults
  // nullopt: the sandbox's defaults; 0: no limit.
  std::optional<std::uint64_t> disk_limit_bytes;
  std::optional<std::uint64_t> memory_limit_bytes;
  std::optional<std::uint64_t> pids_limit;
  bool drop_all_caps = false;          // else the command keeps root's chroot capabilities
  std::vector<std::string> argv;       // empty: an interactive login shell
};

// Returns the command's exit status (124 after a timeout, 128+N when killed by
// signal N). Throws Error(Input) for a missing snapshot or bad options,
// Error(Environment) when the kernel refuses the sandbox.
int run_in_snapshot(const RunOptions& options);

}  // namespace cleanroom::build
