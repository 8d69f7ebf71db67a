// `cleanroom audit SHIPPED.deb`: rebuild a package from the inputs its
// .buildinfo records (source, snapshot id, SOURCE_DATE_EPOCH, build path; for a
// recipe's package the recipe's and the wheelhouse's hashes) and compare the
// result with what was shipped. A package from the Debian archive
// records no snapshot: it is rebuilt in the named snapshot, and the build
// dependencies whose versions differ from what that snapshot's mirror gave are
// listed, since they alone can explain a difference. Without any .buildinfo
// (an archive .deb and its .dsc, offline) the source is rebuilt in the named
// snapshot at its changelog's SOURCE_DATE_EPOCH, and the report says that
// nothing pinned the build environment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/verify/audit_cause.h"
#include "cleanroom/verify/verify.h"
#include "cleanroom/repro/diff.h"

namespace cleanroom::build {

constexpr int kAuditFormatVersion = 1;

struct AuditOptions {
  std::string store_path;
  std::string deb;        // the shipped package
  std::string buildinfo;  // "": the .buildinfo beside the .deb that lists it; none there
                          // and source given: rebuild without one (unpinned)
  std::string source;     // "": <source>_<version>.dsc beside the .deb; a recipe's .toml
  std::string wheelhouse;  // a venv recipe's wheelhouse (directory or .deb), as for build
  std::string snapshot;   // only for a .buildinfo without X-Cleanroom-Snapshot; "": bookworm
  std::string keep_dir;   // "": the rebuild is dropped
  bool offline = false;
  bool quiet = true;
  repro::DiffOptions diff;
};

struct DependencyDrift {
  std::string package;
  std::string recorded;  // version in the shipped .buildinfo
  std::string rebuilt;   // version the rebuild installed, "" when it installed none
};

struct AuditResult {
  std::string deb, buildinfo, source;
  std::string snapshot;          // the id rebuilt in
  // A .buildinfo recorded the build environment; false when the audit ran
  // from the .deb and its source alone (--source without a .buildinfo): the
  // snapshot's build dependencies and the changelog's SOURCE_DATE_EPOCH stood in.
  bool pinned = true;
  bool recorded_snapshot = false;  // X-Cleanroom-Snapshot was present
  bool checksum_matches = false;   // the shipped .deb has the SHA-256 the .buildinfo lists
  std::optional<std::int64_t> recorded_epoch, rebuilt_epoch;
  ArtifactComparison comparison;   // "first" is the shipped .deb, "varied" the rebuild
  std::vector<DependencyDrift> drift;
  // A Debian .buildinfo's versions were asked for exactly: drift then lists
  // the ones the mirror did not have. environment: the recorded variables set.
  bool exact_versions_requested = false;
  std::vector<std::string> environment;
  std::string shipped_version, source_version;  // the .deb's Version, the source's
  // A binNMU's binary-only changelog entry, read from the shipped .deb and put
  // on top of the source's changelog for the rebuild; "" for no binNMU.
  std::string binnmu_entry;
  AuditVerdict verdict;  // why it differs, where the evidence says
  std::string error;  // the rebuild failed
  std::string log;    // the rebuild's log
  double seconds = 0;
  bool reproduced() const { return error.empty() && comparison.identical; }
};

// Throws Error(Input) for a missing input, saying what to fetch or import:
// no .buildinfo, no source, a snapshot id the store does not hold.
AuditResult audit_package(const AuditOptions& options);

// Several binaries of one source version (the first one's .buildinfo and
// source serve for all; a recipe's package is one .deb): one rebuild, one
// result per .deb, in order.
std::vector<AuditResult> audit_packages(const AuditOptions& options,
                                        const std::vector<std::string>& debs);

std::string audit_result_to_json(const AuditResult& result);
std::string format_audit_report(const AuditResult& result);

}  // namespace cleanroom::build
