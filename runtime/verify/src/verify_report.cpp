#include "verify_report.h"

#include <fmt/format.h>

#include "cleanroom/base/join.h"
#include "cleanroom/verify/verify.h"

namespace cleanroom::build {

namespace {

std::string describe(const repro::Difference& d) {
  using repro::DifferenceKind;
  switch (d.kind) {
    case DifferenceKind::OnlyInA: return "only in the first";
    case DifferenceKind::OnlyInB: return "only in the second";
    case DifferenceKind::Type: return fmt::format("{} differs: {} -> {}", d.field, d.a, d.b);
    case DifferenceKind::Metadata: return fmt::format("{}: {} -> {}", d.field, d.a, d.b);
    case DifferenceKind::Field:
      return fmt::format("control field {}: '{}' -> '{}'", d.field, d.a, d.b);
    case DifferenceKind::Content:
      return d.a.empty() ? fmt::format("{} content differs", d.field)
                         : fmt::format("{} content differs ({} -> {})", d.field, d.a, d.b);
  }
  return "";
}

std::string indent_lines(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += indent + text.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  return out;
}

std::string seconds(double s) { return fmt::format("{:.1f} s", s); }

}  // namespace

std::string format_differences(const repro::DiffResult& diff, const std::string& indent) {
  std::string out;
  for (const auto& d : diff.differences) {
    out += fmt::format("{}{}: {}\n", indent, d.path.empty() ? "(the file)" : d.path, describe(d));
    if (!d.detail.empty()) out += indent_lines(d.detail, indent + "    ");
  }
  if (diff.truncated())
    out += fmt::format("{}{} differences, {} listed\n", indent, diff.total, diff.differences.size());
  return out;
}

nlohmann::ordered_json differences_to_json(const repro::DiffResult& diff) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& d : diff.differences)
    list.push_back({{"path", d.path}, {"kind", repro::to_string(d.kind)}, {"field", d.field},
                    {"a", d.a}, {"b", d.b}, {"detail", d.detail}});
  return {{"total", diff.total}, {"truncated", diff.truncated()}, {"differences", list}};
}

std::string verify_result_to_json(const VerifyResult& r) {
  auto names = [](const std::vector<Variation>& list) {
    auto out = nlohmann::ordered_json::array();
    for (Variation v : list) out.push_back(to_string(v));
    return out;
  };
  auto skipped = nlohmann::ordered_json::array();
  for (const auto& [v, why] : r.skipped) skipped.push_back({{"variation", to_string(v)}, {"why", why}});
  auto artifacts = nlohmann::ordered_json::array();
  for (const auto& a : r.artifacts) {
    nlohmann::ordered_json j = {{"name", a.name},
                                {"identical", a.identical},
                                {"sha256_first", a.sha256_first},
                                {"sha256_varied", a.sha256_varied}};
    if (!a.identical) j["diff"] = differences_to_json(a.diff);
    artifacts.push_back(j);
  }
  nlohmann::ordered_json j = {{"format_version", kVerifyFormatVersion},
                              {"source", r.source},
                              {"version", r.version},
                              {"reproducible", r.reproducible()},
                              {"variations", names(r.active)},
                              {"skipped_variations", skipped},
                              {"parallel", r.parallel},
                              {"seconds", {{"first", r.first_seconds},
                                           {"varied", r.varied_seconds},
                                           {"total", r.total_seconds}}},
                              {"artifacts", artifacts},
                              {"not_compared", r.not_compared},
                              {"error", r.error}};
  if (!r.failed_log.empty()) j["failed_log"] = r.failed_log;
  if (r.bisected) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& f : r.bisect)
      list.push_back({{"variation", to_string(f.variation)},
                      {"differs", f.differs},
                      {"artifacts", f.differing},
                      {"error", f.error}});
    j["bisect"] = list;
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string format_verify_report(const VerifyResult& r) {
  std::string out = fmt::format("verify: {} {}\n", r.source, r.version);
  out += "varied build: " + (r.active.empty() ? std::string("no variation") : "") + "\n";
  for (Variation v : r.active) out += fmt::format("  {:<13} {}\n", to_string(v), describe(v));
  for (const auto& [v, why] : r.skipped)
    out += fmt::format("  {:<13} SKIPPED: {}\n", to_string(v), why);
  out += fmt::format("builds: {}; first {}, varied {}, total {}\n",
                     r.parallel ? "in parallel" : "one after the other", seconds(r.first_seconds),
                     seconds(r.varied_seconds), seconds(r.total_seconds));
  if (!r.error.empty()) {
    out += fmt::format("error: {}\n", r.error);
    if (!r.failed_log.empty()) out += fmt::format("log: {}\n", r.failed_log);
  }
  for (const auto& a : r.artifacts) {
    if (a.identical) {
      out += fmt::format("identical  {}  sha256 {}\n", a.name, a.sha256_first);
      continue;
    }
    out += fmt::format("DIFFERENT  {}  sha256 {} -> {}\n", a.name,
                       a.sha256_first.empty() ? "(missing)" : a.sha256_first,
                       a.sha256_varied.empty() ? "(missing)" : a.sha256_varied);
    out += format_differences(a.diff, "  ");
  }
  if (!r.not_compared.empty()) {
    out += fmt::format("not compared (records of the varied inputs and the run): {}\n",
                       join(r.not_compared, ", "));
  }
  if (r.bisected) {
    out += "bisect (one variation at a time):\n";
    bool any = false;
    for (const auto& f : r.bisect) {
      std::string what;
      if (!f.error.empty()) {
        what = "the build failed: " + f.error;
        any = true;
      } else if (f.differs) {
        what = "CAUSES A DIFFERENCE in " + join(f.differing, ", ");
        any = true;
      } else {
        what = "no difference";
      }
      out += fmt::format("  {:<13} {}\n", to_string(f.variation), what);
    }
    if (!any)
      out += "  no single variation reproduces the difference: variations interact, or the "
             "build is not deterministic even unvaried\n";
  }
  if (!r.error.empty())
    out += "result: a build failed, nothing was compared\n";
  else
    out += r.reproducible() ? "result: reproducible\n" : "result: NOT reproducible\n";
  return out;
}

}  // namespace cleanroom::build
