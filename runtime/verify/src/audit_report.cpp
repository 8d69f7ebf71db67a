#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "cleanroom/verify/audit.h"
#include "verify_report.h"

namespace cleanroom::build {

namespace {

std::string epoch_text(const std::optional<std::int64_t>& e) {
  return e ? std::to_string(*e) : std::string("(none)");
}

}  // namespace

std::string audit_result_to_json(const AuditResult& r) {
  auto drift = nlohmann::ordered_json::array();
  for (const auto& d : r.drift)
    drift.push_back({{"package", d.package}, {"recorded", d.recorded}, {"rebuilt", d.rebuilt}});
  nlohmann::ordered_json j = {
      {"format_version", kAuditFormatVersion},
      {"deb", r.deb},
      {"buildinfo", r.buildinfo},
      {"source", r.source},
      {"snapshot", r.snapshot},
      {"recorded_snapshot", r.recorded_snapshot},
      {"pinned", r.pinned},
      {"checksum_matches_buildinfo", r.pinned ? nlohmann::ordered_json(r.checksum_matches) : nullptr},
      {"source_date_epoch", {{"recorded", r.recorded_epoch ? nlohmann::ordered_json(*r.recorded_epoch) : nullptr},
                             {"rebuilt", r.rebuilt_epoch ? nlohmann::ordered_json(*r.rebuilt_epoch) : nullptr}}},
      {"reproduced", r.reproduced()},
      {"class", audit_cause_name(r.verdict.cause)},
      {"class_reason", r.verdict.why},
      {"shipped_version", r.shipped_version},
      {"source_version", r.source_version},
      {"binnmu_entry_added", !r.binnmu_entry.empty()},
      {"sha256_shipped", r.comparison.sha256_first},
      {"sha256_rebuilt", r.comparison.sha256_varied},
      {"build_depends_drift", drift},
      {"exact_versions_requested", r.exact_versions_requested},
      {"environment", r.environment},
      {"error", r.error},
      {"log", r.log},
      {"seconds", r.seconds}};
  if (!r.comparison.identical && r.error.empty() && r.verdict.cause != AuditCause::BinNmu)
    j["diff"] = differences_to_json(r.comparison.diff);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string format_audit_report(const AuditResult& r) {
  std::string out = fmt::format("audit: {}\n  buildinfo: {}\n  source:    {}\n  snapshot:  {}{}\n",
                                r.deb, r.pinned ? r.buildinfo : "(none)", r.source, r.snapshot,
                                r.recorded_snapshot ? " (recorded)"
                                                    : " (none recorded: an archive package)");
  if (!r.binnmu_entry.empty())
    out += fmt::format("  binNMU {}: rebuilt with its binary-only changelog entry on top of "
                       "the source's {}, arch-dependent packages only\n",
                       r.shipped_version, r.source_version);
  if (!r.pinned)
    out += "  the build environment was NOT pinned: no .buildinfo records it; rebuilt with the "
           "snapshot's build dependencies and the changelog's SOURCE_DATE_EPOCH\n";
  out += fmt::format("  SOURCE_DATE_EPOCH: recorded {}, rebuilt {}\n", epoch_text(r.recorded_epoch),
                     epoch_text(r.rebuilt_epoch));
  if (r.recorded_epoch && r.rebuilt_epoch && *r.recorded_epoch != *r.rebuilt_epoch)
    out += "  SOURCE_DATE_EPOCH differs: the source's changelog is not the one the package was "
           "built from\n";
  if (r.pinned && !r.checksum_matches)
    out += "  the shipped .deb does NOT have the SHA-256 its .buildinfo lists: it was changed "
           "after the build\n";
  if (!r.environment.empty())
    out += fmt::format("  environment (recorded): {}\n", fmt::join(r.environment, " "));
  if (!r.drift.empty()) {
    out += r.exact_versions_requested
               ? fmt::format("  {} recorded build dependency versions are not on the mirror; "
                             "installed instead:\n",
                             r.drift.size())
               : fmt::format("  {} build dependencies differ from what the rebuild installed:\n",
                             r.drift.size());
    for (const auto& d : r.drift)
      out += fmt::format("    {}: recorded {}, rebuilt {}\n", d.package, d.recorded,
                         d.rebuilt.empty() ? "(not installed)" : d.rebuilt);
  }
  if (!r.error.empty()) {
    out += fmt::format("error: {}\nlog: {}\n", r.error, r.log);
    return out;
  }
  if (r.reproduced()) {
    out += fmt::format("reproduced: the rebuild is identical (sha256 {})\n", r.comparison.sha256_first);
    return out;
  }
  if (r.verdict.cause == AuditCause::BinNmu) {
    out += fmt::format("NOT rebuilt: {}; rebuild it with that entry on top of debian/changelog "
                       "(Debian's .buildinfo has it as Binary-Only-Changes)\n",
                       r.verdict.why);
    return out;
  }
  out += fmt::format("NOT reproduced: sha256 shipped {}, rebuilt {}\n", r.comparison.sha256_first,
                     r.comparison.sha256_varied);
  out += fmt::format("  cause: {}\n", r.verdict.why);
  out += format_differences(r.comparison.diff, "  ");
  return out;
}

}  // namespace cleanroom::build
