#include "cleanroom/verify/audit_cause.h"

#include <algorithm>
#include <regex>

namespace cleanroom::build {

namespace {

// Paths whose difference only follows from others: the md5sums list the
// files' sums, Installed-Size their sizes.
bool is_consequence(const repro::Difference& d) {
  return d.path.ends_with("::md5sums") || (d.kind == repro::DifferenceKind::Field &&
                                           d.field == "Installed-Size");
}

bool is_container_only(const repro::Difference& d) {
  return d.kind == repro::DifferenceKind::Content &&
         d.detail.find("every member compares equal") != std::string::npos;
}

// The removed and the added lines of a unified diff, in order.
void changed_lines(const std::string& detail, std::vector<std::string>& removed,
                   std::vector<std::string>& added) {
  std::size_t at = 0;
  while (at < detail.size()) {
    std::size_t end = std::min(detail.find('\n', at), detail.size());
    std::string line = detail.substr(at, end - at);
    at = end + 1;
    if (line.starts_with("---") || line.starts_with("+++")) continue;
    if (line.starts_with("-")) removed.push_back(line.substr(1));
    if (line.starts_with("+")) added.push_back(line.substr(1));
  }
}

// Each line with what `pattern` matches replaced by one placeholder.
std::vector<std::string> masked(const std::vector<std::string>& lines, const std::regex& pattern) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(std::regex_replace(l, pattern, "<>"));
  return out;
}

// True when every content difference is a text diff whose changed lines
// become equal once `pattern` is masked, and something was masked.
bool only_differs_in(const std::vector<const repro::Difference*>& diffs, const std::regex& pattern) {
  bool any = false;
  for (const repro::Difference* d : diffs) {
    if (d->kind != repro::DifferenceKind::Content || d->field != "text") return false;
    std::vector<std::string> removed, added;
    changed_lines(d->detail, removed, added);
    if (removed.empty() || removed.size() != added.size()) return false;
    if (masked(removed, pattern) != masked(added, pattern)) return false;
    any = true;
  }
  return any;
}

const std::regex& date_pattern() {
  static const std::regex re(
      R"(\b\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\b)"
      R"(|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b,?)"
      R"(|\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b)"
      R"(|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2}( \d{4})?\b)"
      R"(|\b\d{2}:\d{2}:\d{2}\b|\b(UTC|GMT)\b|\b1\d{9}\b)");
  return re;
}

// A directory a build ran in: Debian's daemons use /build/<source>-<random>/
// (or /build/reproducible-path/), sbuild /<<PKGBUILDDIR>>, cleanroom
// /build/<source>-<version>.
const std::regex& build_path_pattern() {
  static const std::regex re(R"((/build|/tmp|/home/[^/\s]+)/[A-Za-z0-9._+~-]+)");
  return re;
}

}  // namespace

int binnmu_number(const std::string& version) {
  static const std::regex re(R"(\+b([1-9][0-9]{0,4})$)");
  std::smatch m;
  if (!std::regex_search(version, m, re)) return 0;
  return std::stoi(m[1].str());
}

AuditVerdict classify_audit(const AuditClassInput& in) {
  if (in.failed) return {AuditCause::Failed, "the rebuild did not finish"};
  if (in.reproduced) return {AuditCause::Reproduced, "the rebuild is identical"};
  if (int n = binnmu_number(in.shipped_version);
      n > 0 && binnmu_number(in.source_version) == 0 && !in.binnmu_rebuilt)
    return {AuditCause::BinNmu,
            "binNMU: the shipped version " + in.shipped_version + " is binary-only rebuild " +
                std::to_string(n) + " of source version " + in.source_version +
                ", whose changelog lacks that entry"};
  std::vector<const repro::Difference*> causes;
  if (in.diff)
    for (const auto& d : in.diff->differences)
      if (!is_consequence(d)) causes.push_back(&d);
  bool complete = in.diff && !in.diff->truncated();
  if (complete && !causes.empty() &&
      std::all_of(causes.begin(), causes.end(), [](auto* d) { return is_container_only(*d); }))
    return {AuditCause::CompressionOnly,
            "compression only: every member is equal, the archives' bytes are not"};
  if (complete && only_differs_in(causes, date_pattern()))
    return {AuditCause::BuildDate,
            "build date: the differing lines differ only in a date or time written at build time"};
  if (complete && only_differs_in(causes, build_path_pattern()))
    return {AuditCause::BuildPath,
            "build path: the differing lines differ only in the directory the build ran in"};
  if (in.dependencies_drifted)
    return {AuditCause::ToolchainDrift,
            "toolchain drift: build dependencies differ from the recorded ones (listed above)"};
  return {AuditCause::Differs, "no known cause explains the differences"};
}

std::string audit_cause_name(AuditCause cause) {
  switch (cause) {
    case AuditCause::Reproduced: return "reproduced";
    case AuditCause::Failed: return "failed";
    case AuditCause::BinNmu: return "binnmu";
    case AuditCause::CompressionOnly: return "compression-only";
    case AuditCause::BuildDate: return "build-date";
    case AuditCause::BuildPath: return "build-path";
    case AuditCause::ToolchainDrift: return "toolchain-drift";
    case AuditCause::Differs: return "differs";
  }
  return "differs";
}

}  // namespace cleanroom::build
