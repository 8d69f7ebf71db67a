// The fetch step of `audit --from-archive`: apt in a sandbox over the snapshot,
// with network, downloads each requested source package and the official
// binaries built from it; the host then copies what it wrote out as any file a
// sandbox wrote (sandbox_file.h) into the downloads directory.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/store/store.h"
#include "cleanroom/verify/archive_audit.h"

namespace cleanroom::build {

struct FetchedSource {
  ArchiveRequest request;
  std::string dsc;                // host path; "" when the source is not available
  std::vector<std::string> debs;  // host paths, sorted
  std::string problem;            // why there is no dsc, or no binary
};

// downloads_dir/<source>_<version>/ holds what an earlier run fetched: apt
// gets it again, checks it against the indexes, and fetches only the rest.
// Throws Error(Failure) when apt cannot update its indexes (no mirror).
std::vector<FetchedSource> fetch_from_archive(const store::Store& store,
                                              const store::SnapshotInfo& snapshot,
                                              const std::vector<ArchiveRequest>& requests,
                                              const std::string& downloads_dir,
                                              const std::string& log_dir, bool quiet);

// <source>_<version without epoch>: the directory and .dsc stem.
std::string archive_stem(const ArchiveRequest& request);

}  // namespace cleanroom::build
