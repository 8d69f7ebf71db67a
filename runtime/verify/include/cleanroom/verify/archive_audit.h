// `cleanroom audit --from-archive SRC=VERSION...`: audit Debian's archive in
// batch. One sandboxed step with network (apt over the snapshot, with the
// snapshot's own sources as deb-src too) fetches each source package with its
// files and the official binaries built from it for the snapshot's
// architecture, apt checking every file against the signed indexes; then each
// source is rebuilt once per binary version (a binNMU's arch-dependent
// packages apart from its arch-all ones) and every binary is compared. A
// source the mirror does not serve complete is an outcome, not an error.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cleanroom/repro/diff.h"
#include "cleanroom/verify/audit.h"

namespace cleanroom::build {

constexpr int kArchiveAuditFormatVersion = 1;

struct ArchiveRequest {
  std::string source, version;
};

// "SRC=VERSION" checked with Debian's rules; what names it (the argument, or
// "FILE:LINE") is in the message of the Error(Input) for a bad one.
ArchiveRequest parse_archive_request(const std::string& text, const std::string& where);
// A file of such lines; '#' starts a comment, blank lines are skipped.
std::vector<ArchiveRequest> read_archive_requests(const std::string& path);

struct ArchiveAuditOptions {
  std::string store_path;
  std::string snapshot;       // "": bookworm
  std::vector<ArchiveRequest> requests;
  // Downloads are kept in DIR/<source>_<version>/ and handed to apt again on
  // the next run, which checks them and fetches only what is missing; "":
  // a temporary directory, dropped.
  std::string downloads_dir;
  std::string keep_dir;       // each rebuild's outputs in DIR/<source>_<version>/...
  bool quiet = true;
  repro::DiffOptions diff;
  // Progress: called before each source is rebuilt (index from 0).
  std::function<void(std::size_t index, std::size_t count, const ArchiveRequest&)> progress;
};

enum class ArchiveOutcome { Reproduced, Differs, Failed, SourceNotAvailable };

struct ArchivePackageResult {
  ArchiveRequest request;
  ArchiveOutcome outcome = ArchiveOutcome::Failed;
  std::string note;  // why not available or failed; the first difference's class
  std::vector<AuditResult> binaries;
  double seconds = 0;
};

struct ArchiveAuditResult {
  std::string snapshot;  // the id rebuilt in
  std::vector<ArchivePackageResult> packages;
  double fetch_seconds = 0;
  bool all_reproduced() const;
};

// Throws Error(Input) for no requests or a snapshot the store lacks, and
// Error(Failure) when the fetch step cannot reach the mirror at all.
ArchiveAuditResult audit_from_archive(const ArchiveAuditOptions& options);

const char* archive_outcome_name(ArchiveOutcome outcome);
std::string archive_audit_to_json(const ArchiveAuditResult& result);
std::string format_archive_audit_table(const ArchiveAuditResult& result);

}  // namespace cleanroom::build
