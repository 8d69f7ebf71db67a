// After the build: take the packages dpkg-buildpackage left in the work dir
// (never following a link the build planted), normalize each .deb, and write
// the .changes and .buildinfo that describe the normalized files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "debian_source.h"

namespace cleanroom::build {

struct CollectedPackage {
  std::string path;        // normalized copy in the staging dir
  std::string name;        // file name
  std::string package;     // Package field
  std::string architecture;
  std::string section, priority, description;
};

// Copies every *.deb/*.udeb/*.ddeb at the top of build_dir that is a regular
// file with one link into staging_dir, rebuilding each deterministically
// (embedded timestamps, archives, .pyc normalized; mtimes clamped). Throws
// Error(Failure) when the build produced none, or planted links.
std::vector<CollectedPackage> collect_packages(const std::string& build_dir,
                                               const std::string& staging_dir,
                                               std::int64_t source_date_epoch,
                                               const std::string& deb_compression);

struct RecordRequest {
  SourceTreeInfo source;
  std::string arch;            // the host architecture
  std::string changes_arch;    // the arch part of the file names ("amd64" or "all")
  std::vector<std::string> architectures;  // for the Architecture fields
  std::vector<std::string> installed_build_depends;
  std::string snapshot_id;
  std::string build_path;
  std::string wheelhouse_hash;
  std::string recipe_hash;  // recipe builds: X-Cleanroom-Recipe
  std::vector<std::pair<std::string, std::string>> environment;
};

// Writes <source>_<version>_<arch>.buildinfo and .changes into staging_dir;
// returns their paths (buildinfo first).
std::vector<std::string> write_records(const std::vector<CollectedPackage>& packages,
                                       const RecordRequest& request,
                                       const std::string& staging_dir);

}  // namespace cleanroom::build
