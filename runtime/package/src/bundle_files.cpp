#include "bundle_files.h"

#include <fcntl.h>

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/compression.h"
#include "cleanroom/python/recipe_files.h"
#include "cleanroom/formats/safe_path.h"

namespace cleanroom::build {

namespace {

// DEP-5 patterns are separated by blanks and treat *, ? and \ specially:
// a name holding any of them is covered by its parent's pattern instead.
bool plain_pattern(const std::string& name) {
  return name.find_first_of(" \t\n*?\\") == std::string::npos;
}

bool is_license_member(const std::string& member, const std::string& dist_info) {
  if (!member.starts_with(dist_info)) return false;
  std::string rest = member.substr(dist_info.size());
  if (rest.starts_with("licenses/")) return true;
  std::string upper = rest;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper.starts_with("LICENSE") || upper.starts_with("LICENCE") ||
         upper.starts_with("COPYING") || upper.starts_with("NOTICE");
}

std::string dist_info_of(const WheelFacts& wheel) {
  for (const auto& m : wheel.members) {
    auto slash = m.find('/');
    if (slash != std::string::npos && m.substr(slash) == "/METADATA" &&
        m.substr(0, slash).ends_with(".dist-info"))
      return m.substr(0, slash + 1);
  }
  return "";
}

python::BundledDistribution bundled_base(const WheelFacts& wheel, const std::string& sha256) {
  python::BundledDistribution d;
  d.name = wheel.metadata.name;
  d.version = wheel.metadata.version;
  d.wheel = wheel.name.filename;
  d.sha256 = sha256;
  d.license = wheel.license;
  return d;
}

// A file beneath root, its directories made without following any link (a
// recipe's link must not carry the file out of the tree).
void write_beneath(const std::string& root, const std::string& rel, std::string_view data) {
  std::string dir = rel.substr(0, rel.rfind('/'));
  UniqueFd root_fd = open_fd(root, O_RDONLY | O_DIRECTORY);
  with_context(fmt::format("/{}", dir),
               [&] { formats::make_dirs_beneath(root_fd.get(), dir, 0755); });
  write_file_atomic(root + "/" + rel, data);
}

// The recipe's changelog file (load_recipe checked its top entry), else the
// entry written from the recipe.
std::string changelog_text(const RecipeContext& ctx, const python::BundleFacts& facts) {
  const python::Recipe& r = ctx.recipe;
  if (r.changelog.empty()) return python::generated_changelog(facts);
  return python::read_recipe_file(r, r.changelog);
}

}  // namespace

python::BundleFacts bundle_facts(const RecipeContext& ctx, python::BundleKind kind,
                                 const std::string& install_path) {
  python::BundleFacts f;
  f.kind = kind;
  f.package = ctx.recipe.name;
  f.version = ctx.recipe.version;
  f.architecture = ctx.arch;
  f.maintainer = ctx.recipe.maintainer;
  f.distribution = ctx.snapshot.suite.empty() ? "unstable" : ctx.snapshot.suite;
  f.install_path = install_path;
  f.source_date_epoch = ctx.epoch;
  f.tool_version = CLEANROOM_VERSION;
  return f;
}

python::BundledDistribution installed_distribution(const WheelFacts& wheel,
                                                   const std::string& sha256,
                                                   const std::string& site_packages) {
  python::BundledDistribution d = bundled_base(wheel, sha256);
  std::string dist_info = dist_info_of(wheel);
  std::set<std::string> patterns;
  for (const auto& m : wheel.members) {
    std::string top = m.substr(0, m.find('/'));
    // <name>.data/ spreads over the venv (scripts into bin/): Files: * covers it.
    if (top.ends_with(".data") || !plain_pattern(top)) continue;
    patterns.insert(site_packages + "/" + top + (top.size() < m.size() ? "/*" : ""));
    if (!dist_info.empty() && is_license_member(m, dist_info) && plain_pattern(m))
      d.license_files.push_back(site_packages + "/" + m);
  }
  d.paths.assign(patterns.begin(), patterns.end());
  return d;
}

python::BundledDistribution shipped_wheel(const WheelFacts& wheel, const std::string& sha256,
                                          const std::string& path) {
  python::BundledDistribution d = bundled_base(wheel, sha256);
  d.paths.push_back(path);
  std::string dist_info = dist_info_of(wheel);
  for (const auto& m : wheel.members)
    if (!dist_info.empty() && is_license_member(m, dist_info) && plain_pattern(m))
      d.license_files.push_back(path + " (" + m + ")");
  return d;
}

std::string write_bundle_files(const RecipeContext& ctx, StepRunner& steps,
                               const python::BundleFacts& facts, const std::string& root) {
  auto unknown = python::unknown_licenses(facts);
  if (!unknown.empty()) {
    std::string what = fmt::format("no license in the metadata of {}", join(unknown, ", "));
    if (ctx.recipe.licenses_strict)
      throw_failure(fmt::format("{}; the recipe says licenses = \"strict\": find each license "
                                "and fix the distribution's metadata, or set licenses = \"warn\"",
                                what));
    log::warn(what + " (\"License: unknown\" in the copyright file)");
    ctx.log("cleanroom: warning: " + what);
    steps.note(fmt::format("{} licenses unknown", unknown.size()));
  }
  std::string doc = "usr/share/doc/" + facts.package;
  write_beneath(root, doc + "/copyright", python::dep5_copyright(facts));
  write_beneath(root, doc + "/" + python::changelog_file_name(facts.version),
                formats::compress(changelog_text(ctx, facts), formats::Compression::Gzip));
  std::string sbom = python::cyclonedx_sbom(facts);
  write_beneath(root, doc + "/sbom.cdx.json", sbom);
  write_beneath(root, "usr/share/lintian/overrides/" + facts.package,
                python::lintian_overrides(facts));
  std::string beside = ctx.staging_dir + "/" + ctx.stem() + ".cdx.json";
  write_file_atomic(beside, sbom);
  return beside;
}

void lintian_step(const RecipeContext& ctx, StepRunner& steps, const std::string& deb_name) {
  if (!ctx.build_root_has("usr/bin/lintian")) {
    steps.skip_current("lintian is not in the build root (add it to the recipe's "
                       "build_packages, or to the snapshot with --include lintian)");
    return;
  }
  std::string report_dir = ctx.sandbox_dir("lintian");
  SandboxStep step = ctx.step();
  step.binds.push_back({ctx.staging_dir, "/cleanroom/debs", true});
  step.binds.push_back({report_dir, "/cleanroom/report", false});
  step.script = fmt::format(
      "echo '+ lintian --info /cleanroom/debs/{0}'\n"
      "lintian --info /cleanroom/debs/{0} > /cleanroom/report/tags 2>&1 || true\n"
      "cat /cleanroom/report/tags\n",
      deb_name);
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc != 0) throw_failure(fmt::format("lintian could not run (exit {}); see the log", rc));
  std::string report = read_sandbox_file(report_dir, "tags", kSandboxTextMax);
  std::vector<std::string> errors;
  std::size_t warnings = 0;
  for (std::size_t at = 0; at < report.size();) {
    std::size_t end = std::min(report.find('\n', at), report.size());
    std::string line = report.substr(at, end - at);
    if (line.starts_with("E: ")) errors.push_back(line.substr(3));
    if (line.starts_with("W: ")) ++warnings;
    at = end + 1;
  }
  steps.note(fmt::format("{} errors, {} warnings", errors.size(), warnings));
  if (errors.empty()) return;
  std::string first = errors.front();
  std::string count = errors.size() == 1 ? "1 error" : fmt::format("{} errors", errors.size());
  if (ctx.recipe.allow_lintian_errors) {
    log::warn(fmt::format("lintian: {} (allowed), the first: {}", count, first));
    return;
  }
  throw_failure(fmt::format("lintian found {} in {}, the first: {}; see the log, fix the "
                            "package, or set allow_lintian_errors = true in the recipe",
                            count, deb_name, first));
}

}  // namespace cleanroom::build
