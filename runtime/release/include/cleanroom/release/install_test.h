// `cleanroom test`: install packages with apt in a fresh overlay of a snapshot,
// run smoke commands, purge them and autoremove the dependencies their install
// pulled in, and check that nothing is left behind in the places packages of
// this kind own (piuparts-style, for /opt/venvs and the bin directories): what
// is left is what the packages and their maintainer scripts left, never a
// dependency. Network only for apt to fetch dependencies, and only if asked.
#pragma once

#include <string>
#include <vector>

namespace cleanroom::build {

struct InstallTestOptions {
  std::string store_path;
  std::string snapshot = "bookworm";
  std::vector<std::string> debs;
  std::vector<std::string> commands;  // smoke commands, run with sh -c
  bool network = true;                // apt may fetch dependencies from the mirror
  std::vector<std::string> repositories;  // extra sources.list lines
  bool quiet = false;
};

struct InstallTestPhase {
  std::string name;    // "install", "run: CMD", "purge", "leftovers"
  bool ok = false;
  std::string detail;  // leftover paths, the failing command's status
};

struct InstallTestResult {
  bool ok = false;
  std::vector<std::string> packages;
  std::string snapshot_name, snapshot_id;  // the snapshot the test ran in
  std::vector<InstallTestPhase> phases;
};

InstallTestResult run_install_test(const InstallTestOptions& options);
std::string install_test_to_json(const InstallTestResult& result);

// Paths present after but not before (both sorted, one per line).
std::vector<std::string> leftover_paths(const std::string& before, const std::string& after);

}  // namespace cleanroom::build
