// Why an audited package differs from its rebuild, named where the evidence
// allows: a binNMU whose changelog entry the source lacks, build dependencies
// that moved (toolchain drift), a build date or a build path written into a
// file, or only the compression or archive headers (every member equal).
// What no rule explains stays "differs": a cause is never guessed.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/repro/diff.h"

namespace cleanroom::build {

enum class AuditCause {
  Reproduced,
  Failed,           // the rebuild did not finish
  BinNmu,           // shipped version +bN, which the source's changelog lacks
  CompressionOnly,  // every member equal; archive headers or compression differ
  BuildDate,        // the differing lines differ only in dates and times
  BuildPath,        // the differing lines differ only in a build directory
  ToolchainDrift,   // unexplained otherwise, and build dependencies differ
  Differs,          // none of the above
};

struct AuditClassInput {
  bool reproduced = false;
  bool failed = false;
  std::string shipped_version;  // the .deb's Version
  std::string source_version;   // the source's changelog top version
  bool binnmu_rebuilt = false;  // the rebuild had the binNMU's entry on top
  const repro::DiffResult* diff = nullptr;
  bool dependencies_drifted = false;
};

struct AuditVerdict {
  AuditCause cause = AuditCause::Differs;
  std::string why;  // one sentence for the report
};

// The binNMU number of "1.2-3+b4" (4), or 0 when the version is none.
int binnmu_number(const std::string& version);

AuditVerdict classify_audit(const AuditClassInput& input);

// "reproduced", "binnmu", "compression-only", "build-date", "build-path",
// "toolchain-drift", "differs", "failed": the JSON's "class".
std::string audit_cause_name(AuditCause cause);

}  // namespace cleanroom::build
