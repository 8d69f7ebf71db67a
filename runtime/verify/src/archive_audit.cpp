// audit --from-archive: fetch all, then per source one rebuild per binary
// version, every binary compared; each source's outcome, never an exception
// for one source that cannot be had or built.
#include "cleanroom/verify/archive_audit.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "archive_fetch.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/control_file.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/version.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/store/store.h"
#include "verify_runs.h"

namespace cleanroom::build {

namespace {

std::string shipped_version(const std::string& deb) {
  return formats::DebReader(deb).control_fields().required("Version");
}

// A binNMU's arch-dependent binaries have their own version and rebuild
// apart from the arch-all ones of the original upload: one group per version.
std::map<std::string, std::vector<std::string>> by_version(const std::vector<std::string>& debs) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& deb : debs) groups[shipped_version(deb)].push_back(deb);
  return groups;
}

void conclude(ArchivePackageResult& p) {
  std::set<std::string> classes;
  for (const auto& b : p.binaries) {
    if (!b.error.empty()) {
      p.outcome = ArchiveOutcome::Failed;
      p.note = fmt::format("{}: {}", file_name(b.deb), b.error);
      return;
    }
    if (!b.reproduced()) classes.insert(audit_cause_name(b.verdict.cause));
  }
  bool differs = !classes.empty();
  classes.erase("differs");  // no named cause: the outcome says it already
  p.outcome = differs ? ArchiveOutcome::Differs : ArchiveOutcome::Reproduced;
  p.note = join(std::vector<std::string>(classes.begin(), classes.end()), ", ");
}

ArchivePackageResult audit_fetched(const ArchiveAuditOptions& o, const std::string& snapshot_id,
                                   const FetchedSource& f) {
  auto start = std::chrono::steady_clock::now();
  ArchivePackageResult p;
  p.request = f.request;
  if (f.dsc.empty()) {
    p.outcome = ArchiveOutcome::SourceNotAvailable;
    p.note = f.problem;
    return p;
  }
  if (f.debs.empty()) {
    p.outcome = ArchiveOutcome::Failed;
    p.note = f.problem;
    return p;
  }
  try {
    for (const auto& [version, debs] : by_version(f.debs)) {
      AuditOptions a;
      a.store_path = o.store_path;
      a.snapshot = snapshot_id;
      a.source = f.dsc;
      a.quiet = o.quiet;
      a.diff = o.diff;
      if (!o.keep_dir.empty())
        a.keep_dir = o.keep_dir + "/" + archive_stem(f.request) + "/" + version;
      for (auto& r : audit_packages(a, debs)) p.binaries.push_back(std::move(r));
    }
    conclude(p);
  } catch (const Error& e) {
    throw_if_stop_requested();
    std::string what = e.what();
    p.outcome = what.find("source not available") != std::string::npos
                    ? ArchiveOutcome::SourceNotAvailable
                    : ArchiveOutcome::Failed;
    p.note = what;
  }
  p.seconds = seconds_since(start);
  return p;
}

// Where a binary differs ("data.tar.xz::usr/bin/tree"), for a summary.
std::vector<std::string> differing_paths(const AuditResult& b) {
  std::vector<std::string> paths;
  if (b.reproduced() || !b.error.empty()) return paths;
  for (const auto& d : b.comparison.diff.differences) paths.push_back(d.path);
  return paths;
}

}  // namespace

ArchiveRequest parse_archive_request(const std::string& text, const std::string& where) {
  auto eq = text.find('=');
  std::string name = text.substr(0, eq);
  if (eq == std::string::npos || !formats::valid_package_name(name))
    throw_input(fmt::format("{}: '{}' is not SOURCE=VERSION with a Debian source package name "
                            "(e.g. hello=2.10-3)",
                            where, printable(text)));
  std::string version = text.substr(eq + 1);
  try {
    formats::parse_version(version);
  } catch (const Error& e) {
    throw_input(fmt::format("{}: '{}': {}", where, printable(text), e.what()));
  }
  // The version goes into a script and a directory name: Debian's characters only.
  if (version.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~:-") !=
      std::string::npos)
    throw_input(fmt::format("{}: '{}': the version has a character Debian does not allow", where,
                            printable(text)));
  return {name, version};
}

std::vector<ArchiveRequest> read_archive_requests(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<ArchiveRequest> requests;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = line.substr(0, line.find('#'));
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    requests.push_back(parse_archive_request(line, fmt::format("{}:{}", path, number)));
  }
  return requests;
}

bool ArchiveAuditResult::all_reproduced() const {
  for (const auto& p : packages)
    if (p.outcome != ArchiveOutcome::Reproduced) return false;
  return !packages.empty();
}

ArchiveAuditResult audit_from_archive(const ArchiveAuditOptions& o) {
  if (o.requests.empty())
    throw_input("--from-archive: no SOURCE=VERSION to audit (the list is empty)");
  store::Store store(store::default_store_path(o.store_path));
  store::SnapshotInfo snapshot =
      use_runnable_snapshot(store, o.snapshot.empty() ? "bookworm" : o.snapshot);
  ArchiveAuditResult result;
  result.snapshot = snapshot.id;
  std::optional<TempDir> temp_downloads, temp_logs;
  std::string downloads = o.downloads_dir;
  if (downloads.empty()) downloads = temp_downloads.emplace("cleanroom-archive-").path();
  std::string logs = o.keep_dir;
  if (logs.empty()) logs = temp_logs.emplace("cleanroom-archive-log-").path();
  make_dirs(logs);
  auto start = std::chrono::steady_clock::now();
  std::vector<FetchedSource> fetched =
      fetch_from_archive(store, snapshot, o.requests, downloads, logs, o.quiet);
  result.fetch_seconds = seconds_since(start);
  for (std::size_t i = 0; i < fetched.size(); ++i) {
    throw_if_stop_requested();
    if (o.progress) o.progress(i, fetched.size(), fetched[i].request);
    result.packages.push_back(audit_fetched(o, snapshot.id, fetched[i]));
  }
  return result;
}

const char* archive_outcome_name(ArchiveOutcome outcome) {
  switch (outcome) {
    case ArchiveOutcome::Reproduced: return "reproduced";
    case ArchiveOutcome::Differs: return "differs";
    case ArchiveOutcome::Failed: return "failed";
    case ArchiveOutcome::SourceNotAvailable: return "source-not-available";
  }
  return "failed";
}

std::string archive_audit_to_json(const ArchiveAuditResult& r) {
  std::map<std::string, int> counts = {
      {"reproduced", 0}, {"differs", 0}, {"failed", 0}, {"source-not-available", 0}};
  auto packages = nlohmann::ordered_json::array();
  for (const auto& p : r.packages) {
    ++counts[archive_outcome_name(p.outcome)];
    auto binaries = nlohmann::ordered_json::array();
    for (const auto& b : p.binaries)
      binaries.push_back({{"deb", file_name(b.deb)},
                          {"version", b.shipped_version},
                          {"reproduced", b.reproduced()},
                          {"class", audit_cause_name(b.verdict.cause)},
                          {"class_reason", b.verdict.why},
                          {"sha256_shipped", b.comparison.sha256_first},
                          {"sha256_rebuilt", b.comparison.sha256_varied},
                          {"error", b.error},
                          {"differences", differing_paths(b)},
                          {"log", b.log}});
    packages.push_back({{"source", p.request.source},
                        {"version", p.request.version},
                        {"outcome", archive_outcome_name(p.outcome)},
                        {"note", p.note},
                        {"seconds", p.seconds},
                        {"binaries", binaries}});
  }
  nlohmann::ordered_json j = {{"format_version", kArchiveAuditFormatVersion},
                              {"snapshot", r.snapshot},
                              {"ok", r.all_reproduced()},
                              {"fetch_seconds", r.fetch_seconds},
                              {"summary", counts},
                              {"packages", packages}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string format_archive_audit_table(const ArchiveAuditResult& r) {
  std::vector<std::array<std::string, 4>> rows = {{"SOURCE", "VERSION", "OUTCOME", "SECONDS"}};
  std::vector<std::string> notes;
  for (const auto& p : r.packages) {
    std::string outcome = archive_outcome_name(p.outcome);
    if (p.outcome == ArchiveOutcome::Differs && !p.note.empty()) outcome += " (" + p.note + ")";
    rows.push_back({p.request.source, p.request.version, outcome, fmt::format("{:.0f}", p.seconds)});
    for (const auto& b : p.binaries)
      if (!b.reproduced() && b.error.empty())
        notes.push_back(fmt::format("{}: {}", file_name(b.deb), b.verdict.why));
    if (p.outcome == ArchiveOutcome::Failed || p.outcome == ArchiveOutcome::SourceNotAvailable)
      notes.push_back(fmt::format("{} {}: {}", p.request.source, p.request.version, p.note));
  }
  std::array<std::size_t, 4> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < 4; ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows)
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>{}}\n", row[0], width[0], row[1], width[1],
                       row[2], width[2], row[3], width[3]);
  for (const auto& n : notes) out += "  " + n + "\n";
  std::map<std::string, int> counts;
  for (const auto& p : r.packages) ++counts[archive_outcome_name(p.outcome)];
  std::vector<std::string> summary;
  for (const auto& [name, n] : counts) summary.push_back(fmt::format("{} {}", n, name));
  out += fmt::format("{} sources: {}\n", r.packages.size(), join(summary, ", "));
  return out;
}

}  // namespace cleanroom::build
