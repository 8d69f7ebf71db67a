// audit: find the recorded inputs (every missing one is an input error that
// says what to fetch or import), rebuild with them, compare.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cctype>
#include <map>
#include <set>
#include <optional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/verify/audit.h"
#include "cleanroom/package/python_build.h"
#include "cleanroom/formats/buildinfo.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/control_file.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/gzip_normalize.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/formats/version.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/store/names.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/staged_output.h"
#include "verify_compare.h"
#include "verify_runs.h"

namespace cleanroom::build {

namespace {

const formats::FileChecksums* listed(const formats::BuildinfoFile& bi, const std::string& name) {
  for (const auto& f : bi.files)
    if (f.name == name) return &f;
  return nullptr;
}

// "" when none lists it and the source is given: the audit then rebuilds
// without a record of the build environment.
std::string find_buildinfo(const std::string& deb, bool source_given) {
  std::string dir = parent_dir(deb), name = file_name(deb);
  for (const auto& entry : list_dir(dir)) {
    if (!std::string_view(entry).ends_with(".buildinfo")) continue;
    try {
      if (listed(formats::read_buildinfo_file(dir + "/" + entry), name)) return dir + "/" + entry;
    } catch (const Error&) {
      // Not a .buildinfo we can read: not the one that lists this package.
    }
  }
  if (source_given) return "";
  throw_input(fmt::format("no .buildinfo beside '{}' lists it; give the one it was built with "
                          "(--buildinfo FILE), or its source (--source DSC) to rebuild without one",
                          deb));
}

// The shipped package's control file.
formats::Deb822Paragraph package_control(const std::string& deb) {
  return formats::DebReader(deb).control_fields();
}

// The version the source builds (its .dsc's, or a tree's changelog's); ""
// when it cannot be read, which the build then reports.
std::string source_version(const std::string& source) {
  try {
    if (source.ends_with(".dsc")) {
      auto dsc = formats::parse_deb822(read_file(source), source);
      return dsc.paragraphs.empty() ? "" : dsc.paragraphs.front().required("Version");
    }
    if (path_exists(source + "/debian/changelog"))
      return formats::read_changelog_top(source + "/debian/changelog").version.to_string();
  } catch (const Error&) {
  }
  return "";
}

// The binary-only changelog entry a binNMU ships for its architecture
// (usr/share/doc/<package>/changelog[.Debian].<arch>.gz, what Debian's
// .buildinfo calls Binary-Only-Changes): its top entry, "" when there is none.
std::string binnmu_entry_of(const std::string& deb, const std::string& version) {
  constexpr std::uint64_t kMax = 1 << 20;
  std::string found;
  formats::DebReader reader(deb);
  reader.read_data([&](const formats::TarEntry& e, const std::function<std::string()>& read) {
    if (!found.empty() || e.type != formats::EntryType::File || e.size > kMax) return;
    // changelog.Debian.<arch>.gz, or changelog.<arch>.gz for a native package.
    if (!e.path.starts_with("usr/share/doc/") || !e.path.ends_with(".gz") ||
        e.path.find("/changelog.") == std::string::npos || e.path.ends_with("/changelog.gz") ||
        e.path.ends_with("/changelog.Debian.gz"))
      return;
    ByteBudget budget(kMax, "");
    std::string text = formats::gzip_decompress(read(), deb + ": " + e.path, budget);
    // The first entry only: through its trailer line.
    std::size_t trailer = text.find("\n -- ");
    if (trailer == std::string::npos) return;
    std::string entry = text.substr(0, text.find('\n', trailer + 1));
    try {
      if (formats::parse_changelog_top(entry, e.path).version.to_string() == version) found = entry + "\n";
    } catch (const Error&) {
    }
  });
  return found;
}

void classify(AuditResult& result) {
  AuditClassInput in;
  in.reproduced = result.reproduced();
  in.failed = !result.error.empty();
  in.shipped_version = result.shipped_version;
  in.source_version = result.source_version;
  in.diff = &result.comparison.diff;
  in.dependencies_drifted = !result.drift.empty();
  in.binnmu_rebuilt = !result.binnmu_entry.empty();
  result.verdict = classify_audit(in);
}

std::string source_name(const formats::BuildinfoFile& bi) {
  return bi.source.substr(0, bi.source.find(' '));
}

std::string without_epoch(const std::string& version) {
  auto colon = version.find(':');
  return colon == std::string::npos ? version : version.substr(colon + 1);
}

// The .dsc's name is made of the .buildinfo's Source and Version, which anyone
// may have written: both must be what Debian allows (policy 5.6.1 and 5.6.12),
// so that no '/' or ".." can lead the lookup away from the .deb's directory.
std::string find_source(const formats::BuildinfoFile& bi, const std::string& deb,
                        const std::string& buildinfo) {
  std::string name = source_name(bi);
  if (!formats::valid_package_name(name))
    throw_input(fmt::format("'{}': Source '{}' is not a Debian source package name (lower-case "
                            "letters, digits, '+', '-', '.'; at least two characters); give the "
                            "source with --source",
                            buildinfo, printable(name)));
  // A binNMU's source version is in parentheses after the name.
  std::string version = bi.version;
  if (auto open = bi.source.find('('); open != std::string::npos)
    version = bi.source.substr(open + 1, bi.source.find(')') - open - 1);
  try {
    version = formats::parse_version(version).to_string();
  } catch (const Error& e) {
    throw_input(fmt::format("'{}': {}; give the source with --source", buildinfo, e.what()));
  }
  std::string dsc = fmt::format("{}_{}.dsc", name, without_epoch(version));
  std::string beside = parent_dir(deb) + "/" + dsc;
  if (path_exists(beside)) return beside;
  throw_input(fmt::format("source '{}' not found beside '{}'; put it there with its files "
                          "(apt-get source {}={}) or give --source",
                          dsc, deb, name, version));
}

// "name (= version)" or "name:arch (= version)" -> name, version.
std::map<std::string, std::string> versions_of(const std::vector<std::string>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) {
    std::string name = e.substr(0, e.find_first_of(" ("));
    auto open = e.find("(= ");
    auto close = e.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open + 3) continue;
    out[name] = e.substr(open + 3, close - open - 3);
  }
  return out;
}

std::vector<DependencyDrift> drift_between(const std::vector<std::string>& recorded,
                                           const std::vector<std::string>& rebuilt) {
  auto a = versions_of(recorded), b = versions_of(rebuilt);
  std::vector<DependencyDrift> out;
  for (const auto& [name, version] : a) {
    auto it = b.find(name);
    std::string got = it == b.end() ? "" : it->second;
    if (got != version) out.push_back({name, version, got});
  }
  return out;
}

// Installed-Build-Depends as pins, each checked: a name (with an optional
// architecture) and a version Debian allows, or the .buildinfo is refused.
std::vector<std::pair<std::string, std::string>> exact_versions_of(
    const formats::BuildinfoFile& bi, const std::string& buildinfo) {
  std::vector<std::pair<std::string, std::string>> pins;
  for (const auto& [name, version] : versions_of(bi.installed_build_depends)) {
    std::string plain = name.substr(0, name.find(':'));
    bool arch_ok = name.size() == plain.size() ||
                   formats::valid_package_name(name.substr(plain.size() + 1));
    bool version_ok = true;
    try {
      formats::parse_version(version);
    } catch (const Error&) {
      version_ok = false;
    }
    if (!formats::valid_package_name(plain) || !arch_ok || !version_ok)
      throw_input(fmt::format("'{}': Installed-Build-Depends entry '{} (= {})' is not a Debian "
                              "package name and version; correct or remove it",
                              buildinfo, printable(name), printable(version)));
    pins.emplace_back(name, version);
  }
  return pins;
}

// The recorded variables a rebuild sets (formats::rebuild_environment_variable).
std::vector<std::string> environment_of(const formats::BuildinfoFile& bi) {
  std::vector<std::string> env;
  for (const auto& [name, value] : bi.environment)
    if (formats::rebuild_environment_variable(name) &&
        std::none_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20; }))
      env.push_back(name + "=" + value);
  return env;
}

std::optional<std::int64_t> recorded_epoch_of(const formats::BuildinfoFile& bi) {
  if (bi.source_date_epoch) return bi.source_date_epoch;
  for (const auto& [name, value] : bi.environment) {
    std::int64_t epoch = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), epoch);
    if (name == "SOURCE_DATE_EPOCH" && ec == std::errc() && end == value.data() + value.size())
      return epoch;
  }
  return std::nullopt;
}

// Build-Path names where the build directory is bound in the sandbox: a file
// anyone may write must not name a system directory, or a path that is not
// plain (".." or odd characters).
void check_build_path(const std::string& path, const std::string& buildinfo) {
  static const std::set<std::string> kSystem = {
      "bin", "boot", "cleanroom", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc",
      "root", "run", "sbin", "sys", "usr", "var"};
  bool plain = path.size() > 1 && path.front() == '/' && path.back() != '/';
  std::size_t components = 0;
  for (std::size_t pos = 1; plain && pos <= path.size(); ++components) {
    std::size_t end = std::min(path.find('/', pos), path.size());
    std::string part = path.substr(pos, end - pos);
    plain = !part.empty() && part != "." && part != ".." &&
            std::all_of(part.begin(), part.end(), [](unsigned char c) {
              return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '~';
            }) && !(components == 0 && kSystem.count(part));
    pos = end + 1;
  }
  if (!plain || components < 2)
    throw_input(fmt::format("'{}': Build-Path '{}' cannot be used (an absolute path of at least "
                            "two plain components, not under a system directory); remove the "
                            "field to rebuild at /build",
                            buildinfo, printable(path)));
}

// The rebuilt package of deb's name compared with it, and the verdict.
void compare_one(const std::string& deb, const BuildResult& rebuilt, const repro::DiffOptions& diff,
                 AuditResult& result) {
  std::vector<std::string> same_name;
  for (const auto& a : rebuilt.artifacts)
    if (file_name(a) == file_name(deb)) same_name.push_back(a);
  auto cmp = compare_packages({deb}, same_name, diff);
  result.comparison = cmp.empty() ? ArtifactComparison{} : cmp.front();
  if (same_name.empty()) {
    std::vector<std::string> made;
    for (const auto& a : rebuilt.artifacts)
      if (is_binary_package(a)) made.push_back(file_name(a));
    result.comparison.sha256_first = sha256_file(deb);
    result.error =
        fmt::format("the rebuild made no '{}' (it made: {})", file_name(deb), join(made, ", "));
  }
  classify(result);
}

// What both kinds of rebuild end with: the rebuild's record, then the comparison
// of the package of the shipped one's name, and of each of `others` (more
// binaries of the same source version) into other_results.
void finish_audit(const AuditOptions& o, const formats::BuildinfoFile& bi,
                  const BuildResult& rebuilt, std::optional<TempDir>& work,
                  std::chrono::steady_clock::time_point start, AuditResult& result,
                  const std::vector<std::string>& others = {},
                  std::vector<AuditResult>* other_results = nullptr) {
  result.log = rebuilt.log_path;
  throw_if_stop_requested();  // a stopped rebuild proves nothing either way
  if (!rebuilt.ok) {
    result.error = fmt::format("the rebuild failed: step {}: {}", rebuilt.failed_step, rebuilt.error);
    if (work) work->release();  // keep the log readable
  }
  for (const auto& a : rebuilt.ok ? rebuilt.artifacts : std::vector<std::string>{}) {
    if (!std::string_view(a).ends_with(".buildinfo")) continue;
    formats::BuildinfoFile rbi = formats::read_buildinfo_file(a);
    result.rebuilt_epoch = rbi.source_date_epoch;
    result.drift = drift_between(bi.installed_build_depends, rbi.installed_build_depends);
    if (rbi.cleanroom_wheelhouse != bi.cleanroom_wheelhouse)
      result.error = fmt::format(
          "the rebuild records wheelhouse {} where the package records {}; give the "
          "wheelhouse it was built with (--wheelhouse DIR or .deb)",
          rbi.cleanroom_wheelhouse.empty() ? "(none)" : rbi.cleanroom_wheelhouse,
          bi.cleanroom_wheelhouse.empty() ? "(none)" : bi.cleanroom_wheelhouse);
  }
  AuditResult shared = result;  // before any one package's comparison
  if (rebuilt.ok)
    compare_one(o.deb, rebuilt, o.diff, result);
  else
    classify(result);
  result.seconds = seconds_since(start);
  for (const auto& deb : others) {
    AuditResult r = shared;
    r.deb = deb;
    r.shipped_version = package_control(deb).required("Version");
    if (rebuilt.ok)
      compare_one(deb, rebuilt, o.diff, r);
    else
      classify(r);
    r.seconds = result.seconds;
    other_results->push_back(std::move(r));
  }
}

// A recipe's package: the recipe must be the one recorded (its hash), the
// snapshot too; the recipe fixes SOURCE_DATE_EPOCH and the build path itself.
void audit_recipe_package(const AuditOptions& o, const formats::BuildinfoFile& bi,
                          std::chrono::steady_clock::time_point start, AuditResult& result) {
  if (o.source.empty())
    throw_input(fmt::format("'{}' was built from a recipe (sha256 {}); give that recipe with "
                            "--source RECIPE.toml",
                            o.deb, bi.cleanroom_recipe));
  result.source = o.source;
  if (!path_exists(result.source))
    throw_input(fmt::format("--source '{}' does not exist", result.source));
  std::string hash = python::recipe_hash(python::load_recipe(result.source));
  if (hash != bi.cleanroom_recipe)
    throw_input(fmt::format("recipe '{}' has sha256 {}, but '{}' records {}: give the recipe "
                            "this package was built from",
                            result.source, hash, result.buildinfo, bi.cleanroom_recipe));
  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(o.keep_dir, "cleanroom-audit-", work);
  RecipeBuildOptions b;
  b.store_path = o.store_path;
  b.recipes = {result.source};
  b.snapshot = result.snapshot;
  b.out_dir = base + "/rebuild";
  b.wheelhouse = o.wheelhouse;
  b.offline = o.offline;
  b.quiet = o.quiet;
  b.wheel_cache = false;  // an audit proves the wheels by building them again
  b.run_lintian = false;  // a verdict on bytes, not on policy
  std::vector<BuildResult> rebuilt = build_recipes(b);
  if (rebuilt.empty()) throw_failure(fmt::format("recipe '{}' built nothing", result.source));
  finish_audit(o, bi, rebuilt.back(), work, start, result);
}

}  // namespace

namespace {

AuditResult audit_rebuild(const AuditOptions& o, const std::vector<std::string>& others,
                          std::vector<AuditResult>* other_results) {
  auto start = std::chrono::steady_clock::now();
  AuditResult result;
  if (!path_exists(o.deb)) throw_input(fmt::format("shipped package '{}' does not exist", o.deb));
  result.deb = o.deb;
  // Read when first needed (after the inputs that name the source are
  // checked), and then only once.
  std::optional<formats::Deb822Paragraph> control_read;
  auto control = [&]() -> const formats::Deb822Paragraph& {
    if (!control_read) control_read = package_control(o.deb);
    return *control_read;
  };
  result.buildinfo = o.buildinfo.empty() ? find_buildinfo(o.deb, !o.source.empty()) : o.buildinfo;
  result.pinned = !result.buildinfo.empty();
  formats::BuildinfoFile bi;
  if (result.pinned) {
    if (!path_exists(result.buildinfo))
      throw_input(fmt::format("--buildinfo '{}' does not exist", result.buildinfo));
    bi = formats::read_buildinfo_file(result.buildinfo);
    const formats::FileChecksums* entry = listed(bi, file_name(o.deb));
    if (!entry)
      throw_input(fmt::format("'{}' does not list '{}': it is not the record of this package",
                              result.buildinfo, file_name(o.deb)));
    result.checksum_matches = entry->sha256 == sha256_file(o.deb);
  } else {
    // Nothing records what it was built with: the architecture is the
    // package's own, the rest is whatever the snapshot and changelog give.
    // "all" builds on the snapshot's own architecture.
    if (std::string arch = control().required("Architecture"); arch != "all")
      bi.architectures = {arch};
  }
  bool from_recipe = !bi.cleanroom_recipe.empty();
  if (!from_recipe) {
    result.source = o.source.empty() ? find_source(bi, o.deb, result.buildinfo) : o.source;
    if (!path_exists(result.source))
      throw_input(fmt::format("source not available: '{}' does not exist; fetch the source "
                              "package (apt-get source --download-only) and give its .dsc",
                              result.source));
  }

  // A name or a prefix would pick whatever this store calls so today: the record
  // proves something only about the one snapshot it names in full.
  if (!bi.cleanroom_snapshot.empty() && !store::is_snapshot_id(bi.cleanroom_snapshot))
    throw_input(fmt::format("'{}': X-Cleanroom-Snapshot '{}' is not a full snapshot id (64 "
                            "lower-case hex digits); an alias or prefix may name another "
                            "snapshot. Write the full id there (cleanroom snapshot list shows "
                            "it) or rebuild with cleanroom build, which records it",
                            result.buildinfo, printable(bi.cleanroom_snapshot)));
  store::Store store(store::default_store_path(o.store_path));
  result.recorded_snapshot = !bi.cleanroom_snapshot.empty();
  if (result.recorded_snapshot) {
    try {
      result.snapshot = store.resolve(bi.cleanroom_snapshot).id;
    } catch (const Error&) {
      throw_input(fmt::format("snapshot {} recorded in '{}' is not in the store '{}'; import the "
                              "snapshot it was built in (cleanroom snapshot import FILE --name "
                              "NAME)",
                              bi.cleanroom_snapshot, result.buildinfo, store.path()));
    }
  } else {
    // An archive package of another architecture (i386 on amd64) rebuilds in
    // that architecture's snapshot, as build --arch picks it.
    std::string host_arch;
    for (const auto& a : bi.architectures)
      if (a != "source" && a != "all") host_arch = a;
    std::string name = o.snapshot.empty() ? "bookworm" : o.snapshot;
    result.snapshot = store.resolve(snapshot_for_arch(store, name, host_arch)).id;
  }
  if (result.pinned) result.recorded_epoch = recorded_epoch_of(bi);
  result.shipped_version = control().required("Version");
  if (!from_recipe) {
    result.source_version = source_version(result.source);
    // A binNMU's rebuild needs the binary-only changelog entry the source
    // lacks: without it the rebuild has another version and file name, and
    // proves nothing. Named as the cause instead of a failed rebuild.
    if (binnmu_number(result.shipped_version) > 0 &&
        binnmu_number(result.source_version) == 0) {
      // Debian's .buildinfo records the entry (Binary-Only-Changes); else the
      // .deb ships it.
      result.binnmu_entry = !bi.binary_only_changes.empty()
                                ? bi.binary_only_changes
                                : binnmu_entry_of(o.deb, result.shipped_version);
      if (result.binnmu_entry.empty()) {
        result.comparison.sha256_first = sha256_file(o.deb);
        classify(result);
        result.seconds = seconds_since(start);
        return result;
      }
    }
  }
  if (from_recipe) {
    audit_recipe_package(o, bi, start, result);
    return result;
  }

  std::optional<TempDir> work;
  std::string base = keep_or_temp_dir(o.keep_dir, "cleanroom-audit-", work);
  DebianBuildOptions b;
  b.store_path = o.store_path;
  b.source = result.source;
  b.snapshot = result.snapshot;
  b.out_dir = base + "/rebuild";
  b.run_lintian = false;
  b.wheelhouse = o.wheelhouse;
  b.quiet = o.quiet;
  b.offline = o.offline;
  // As debrebuild does: the binNMU's entry on top, arch-dependent packages only.
  if (!result.binnmu_entry.empty()) {
    b.binnmu_entry = result.binnmu_entry;
    b.selection = BuildSelection::ArchAny;
  }
  // Debian's .buildinfo records no snapshot, but the environment it was
  // built in: the same versions where the mirror still has them, the same
  // variables.
  if (result.pinned && !result.recorded_snapshot) {
    b.exact_versions = exact_versions_of(bi, result.buildinfo);
    b.variation.env = environment_of(bi);
    result.exact_versions_requested = !b.exact_versions.empty();
    result.environment = b.variation.env;
  }
  // The same build path: it is in the debug info and so in build IDs.
  if (!bi.build_path.empty()) {
    check_build_path(bi.build_path, result.buildinfo);
    auto slash = bi.build_path.rfind('/');
    b.variation.build_path_parent = bi.build_path.substr(0, slash);
    b.variation.build_dir_name = bi.build_path.substr(slash + 1);
  }
  finish_audit(o, bi, build_debian_source(b), work, start, result, others, other_results);
  return result;
}

}  // namespace

AuditResult audit_package(const AuditOptions& o) { return audit_rebuild(o, {}, nullptr); }

std::vector<AuditResult> audit_packages(const AuditOptions& o, const std::vector<std::string>& debs) {
  if (debs.empty()) return {};
  AuditOptions first = o;
  first.deb = debs.front();
  std::vector<std::string> others(debs.begin() + 1, debs.end());
  std::vector<AuditResult> compared;
  std::vector<AuditResult> results = {audit_rebuild(first, others, &compared)};
  // A path that rebuilt nothing (a binNMU without its entry) compared none of
  // the others: each is then audited alone.
  for (std::size_t i = 0; i < others.size(); ++i) {
    if (i < compared.size()) {
      results.push_back(std::move(compared[i]));
    } else {
      AuditOptions one = o;
      one.deb = others[i];
      results.push_back(audit_package(one));
    }
  }
  return results;
}

}  // namespace cleanroom::build
