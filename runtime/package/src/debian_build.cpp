// The Debian source build pipeline. Reads top to bottom as the steps a user
// sees in the step table; each step's work lives in its own file.
#include "cleanroom/package/debian_build.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "build_outputs.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/log.h"
#include "cleanroom/formats/buildinfo.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/pipeline/build_log_excerpt.h"
#include "cleanroom/pipeline/mounted_wheelhouse.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/staged_output.h"
#include "debian_build_script.h"
#include "debian_source.h"

namespace cleanroom::build {

namespace {

constexpr const char* kSourceInside = "/cleanroom/src";
constexpr const char* kWheelhouseInside = "/cleanroom/wheelhouse";
constexpr const char* kDefaultBuildPathParent = "/build";

// A build job of a Debian source: what it knows of the source before and
// after unpacking, and what the steps hand on.
struct DebianBuild : BuildJob {
  DebianBuild(const DebianBuildOptions& o, store::Store s, const std::string& snapshot_name)
      : BuildJob(o, std::move(s), snapshot_name), debian(o) {}

  const DebianBuildOptions& debian;
  std::optional<DscInfo> dsc;
  std::string source_dir;       // host: the tree (tree sources) or the .dsc's dir
  std::string source_name, source_version;  // known before unpacking
  std::string build_dir;        // work dir's build/, bound at the build path's parent
  std::string dir_name;         // <source>-<version without epoch>, or the variation's
  SourceTreeInfo info;
  std::vector<CollectedPackage> packages;
  std::vector<std::string> records;
  std::string wheelhouse_dir;   // host directory mounted for pip, "" for none

  const StepVariation& variation() const { return options.variation; }
  std::string build_path_parent() const {
    const auto& p = variation().build_path_parent;
    return p.empty() ? kDefaultBuildPathParent : p;
  }
  std::string build_path() const { return build_path_parent() + "/" + dir_name; }
  unsigned umask() const { return variation().umask.value_or(022); }
  // Every step sees the build directory at the build path's parent.
  SandboxStep step() const {
    SandboxStep s = BuildJob::step();
    s.binds.insert(s.binds.begin(), {build_dir, build_path_parent(), false});
    return s;
  }
};

std::string choose_snapshot(const DebianBuildOptions& o, const store::Store& store,
                            const std::optional<SourceTreeInfo>& tree) {
  if (!o.snapshot.empty()) return o.snapshot;
  // Like sbuild: the changelog's suite, never silently another one.
  if (tree && !tree->distributions.empty()) {
    const std::string& dist = tree->distributions.front();
    std::string name = snapshot_for_distribution(dist);
    if (name.empty())
      throw_input(fmt::format("debian/changelog's distribution '{}' names no suite; say which "
                              "snapshot to build in: -d SNAPSHOT",
                              dist));
    if (store.read_alias(name)) return name;
    throw_input(fmt::format("no snapshot '{}' for debian/changelog's distribution '{}'; create "
                            "it (cleanroom snapshot create {}) or build in another: -d SNAPSHOT",
                            name, dist, name));
  }
  return "bookworm";  // a .dsc names no suite: the default, shown in the step table
}

// The sources are staged into the work dir first: the sandbox's root is an
// unprivileged host id and may not be able to enter the user's directories
// (a 0700 home, a mktemp dir), and it must never see more than the source.
void stage_sources(DebianBuild& b, const std::string& stage) {
  make_dirs(stage);
  if (b.dsc) {
    stage_output(b.dsc->path, stage + "/" + file_name(b.dsc->path)).commit();
    for (const auto& f : b.dsc->files) stage_output(b.dsc->dir + "/" + f, stage + "/" + f).commit();
  } else {
    auto r = run_process({.argv = {"cp", "-a", "--no-preserve=ownership", b.source_dir + "/.",
                                   stage + "/"}});
    if (r.status != 0)
      throw_failure(fmt::format("copying '{}' into the build directory failed", b.source_dir));
  }
  b.own_tree(stage);
}

// Puts `entry` on top of the unpacked tree's debian/changelog. The entry comes
// from a shipped .deb: it is checked to be one changelog entry and never
// holds the here-document's end line.
std::string binnmu_script(const std::string& entry, const std::string& dest) {
  constexpr const char* kEnd = "CLEANROOM_BINNMU_ENTRY_END";
  auto top = formats::parse_changelog_top(entry, "the binNMU entry");
  bool binary_only = false;
  for (const auto& [key, value] : top.options) binary_only = binary_only || (key == "binary-only" && value == "yes");
  bool control = std::any_of(entry.begin(), entry.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
  });
  if (!binary_only || control || entry.find(kEnd) != std::string::npos)
    throw_input("the binNMU entry is not one binary-only changelog entry (binary-only=yes)");
  std::string changelog = shell_quote(dest + "/debian/changelog");
  return fmt::format("{{ cat <<'{0}'\n{1}\n{0}\n  cat {2}; }} > {2}.binnmu\nmv {2}.binnmu {2}\n", kEnd,
                     entry.substr(0, entry.find_last_not_of('\n') + 1) + "\n", changelog);
}

void unpack(DebianBuild& b) {
  std::string stage = b.work.path() + "/src";
  stage_sources(b, stage);
  if (!b.options.wheelhouse.empty())
    b.wheelhouse_dir = resolve_wheelhouse(real_path(b.options.wheelhouse), b.work.path());
  SandboxStep step = b.step();
  step.binds.push_back({stage, kSourceInside, true});
  std::string dest = b.build_path();
  if (b.dsc) {
    step.script = fmt::format("dpkg-source --no-check -x {} {}\n",
                              shell_quote(std::string(kSourceInside) + "/" + file_name(b.dsc->path)),
                              shell_quote(dest));
  } else {
    step.script = fmt::format("mkdir -p {0}\ncp -a {1}/. {0}/\n", shell_quote(dest),
                              shell_quote(kSourceInside));
  }
  if (!b.debian.binnmu_entry.empty()) step.script += binnmu_script(b.debian.binnmu_entry, dest);
  // dpkg-source -x gives extracted files the modes the umask allows (its
  // fixperms), so verify's umask variation reaches the unpacked tree too.
  step.script = fmt::format("umask {:03o}\n", b.umask()) + step.script;
  int rc = run_sandbox_step(b.ids, step);
  if (rc != 0) throw_failure(fmt::format("unpacking the source failed (exit {})", rc));
  b.info = inspect_tree(b.build_dir + "/" + b.dir_name);
}

std::string requested_dependencies(const DebianBuild& b) {
  const auto& i = b.info;
  std::vector<std::string> fields = {"build-essential", i.build_depends};
  if (b.debian.selection != BuildSelection::ArchAll) fields.push_back(i.build_depends_arch);
  if (b.debian.selection != BuildSelection::ArchAny) fields.push_back(i.build_depends_indep);
  if (i.rules_requires_root != "no") fields.push_back("fakeroot");
  for (const auto& p : b.options.extra_build_packages) fields.push_back(p);
  std::erase_if(fields, [](const std::string& f) {
    return f.find_first_not_of(" \t\n") == std::string::npos;
  });
  std::string joined = join(fields, ", ");
  auto deps = formats::parse_dependencies(joined, "Build-Depends", b.build_dir + "/" +
                                          b.dir_name + "/debian/control");
  return formats::evaluate_build_dependencies(deps, b.snapshot.arch, {}).to_string();
}

// Said before the build runs: a recorded version the mirror no longer has is
// the likeliest reason a rebuild will differ.
void log_versions_not_installed(const DebianBuild& b) {
  std::map<std::string, std::string> installed;
  for (const auto& line : b.layer.packages) {
    auto open = line.find(" (= ");
    if (open != std::string::npos && line.ends_with(")"))
      installed[line.substr(0, open)] = line.substr(open + 4, line.size() - open - 5);
  }
  auto version_of = [&](const std::string& name) -> std::string {
    if (auto it = installed.find(name); it != installed.end()) return it->second;
    std::string plain = name.substr(0, name.find(':'));
    for (const auto& [n, v] : installed)
      if (n.substr(0, n.find(':')) == plain) return v;
    return "";
  };
  std::vector<std::string> missing;
  for (const auto& [name, version] : b.debian.exact_versions) {
    std::string got = version_of(name);
    if (got == version) continue;
    missing.push_back(fmt::format("{} (wanted {}, got {})", name, version,
                                  got.empty() ? "none" : got));
    b.log("cleanroom: prepare: recorded version not available: " + missing.back());
  }
  if (!missing.empty())
    log::warn(fmt::format("{} of {} recorded build dependency versions are not on the mirror: {}",
                          missing.size(), b.debian.exact_versions.size(), join(missing, ", ")));
}

void prepare(DebianBuild& b, StepRunner& steps) {
  PrepareRequest request;
  request.dependencies = requested_dependencies(b);
  request.extra_packages = b.debian.extra_packages;
  request.extra_repositories = b.debian.extra_repositories;
  request.exact_versions = b.debian.exact_versions;
  b.prepare(steps, request, "");
  if (!b.debian.exact_versions.empty()) log_versions_not_installed(b);
}

unsigned job_count(const DebianBuild& b) {
  if (b.variation().jobs) return *b.variation().jobs;
  if (b.debian.jobs > 0) return b.debian.jobs;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

SandboxStep build_step(const DebianBuild& b) {
  SandboxStep step = b.step();
  step.source_date_epoch = b.info.source_date_epoch;
  std::string dbo = fmt::format("parallel={}", job_count(b));
  if (const char* host = std::getenv("DEB_BUILD_OPTIONS"); host && *host)
    dbo = std::string(host) + " " + dbo;
  step.env = {"DEB_BUILD_OPTIONS=" + dbo, std::string("HOME=") + kBuildHome,
              std::string("LOGNAME=") + kBuildUser, std::string("USER=") + kBuildUser};
  // The normalize step rewrites every .deb with the suite's compressor anyway:
  // dpkg-deb (1.21.10 and later) need not compress what is thrown away.
  step.env.push_back("DPKG_DEB_COMPRESSOR_TYPE=none");
  if (!b.wheelhouse_dir.empty()) {
    step.binds.push_back({b.wheelhouse_dir, kWheelhouseInside, true});
    step.env.push_back("PIP_NO_INDEX=1");
    step.env.push_back(std::string("PIP_FIND_LINKS=") + kWheelhouseInside);
  }
  for (const auto& e : b.variation().env) step.env.push_back(e);
  return step;
}

BuildScriptInput script_input(const DebianBuild& b) {
  BuildScriptInput in;
  in.build_path = b.build_path();
  in.build_path_parent = b.build_path_parent();
  in.build_id = b.variation().build_id.value_or(1000);
  // A single-id store (rootless without a subordinate range) has no id for a
  // build user: the build then runs as the sandbox's root.
  in.has_build_user = b.ids.count > in.build_id;
  in.umask = b.umask();
  in.jobs = job_count(b);
  in.preamble = b.variation().preamble;
  in.prefix = b.variation().prefix;
  in.tree_source = !b.dsc;
  in.rules_requires_root = b.info.rules_requires_root;
  in.selection = b.debian.selection;
  return in;
}

void build(DebianBuild& b) {
  SandboxStep step = build_step(b);
  step.script = build_script(script_input(b));
  int rc = run_sandbox_step(b.ids, step);
  if (rc == 0) return;
  if (b.debian.shell_on_failure && ::isatty(STDIN_FILENO)) {
    SandboxStep shell = build_step(b);
    shell.interactive = true;
    shell.script = fmt::format("cd {}\necho 'build failed: a shell in the build tree; exit to "
                               "end'\nexec bash -i\n",
                               shell_quote(b.build_path()));
    run_sandbox_step(b.ids, shell);
  }
  if (rc == 124) throw_failure("dpkg-buildpackage timed out");
  std::string why = error_line_in_log(b.log_path);
  throw_failure(fmt::format("dpkg-buildpackage failed with exit {}{}", rc,
                            why.empty() ? "" : ": " + why));
}

std::vector<std::string> architectures_of(const std::vector<CollectedPackage>& packages) {
  std::set<std::string> set;
  for (const auto& p : packages) set.insert(p.architecture);
  std::vector<std::string> out;
  for (const auto& a : set)
    if (a != "all") out.push_back(a);
  if (set.count("all")) out.push_back("all");
  return out;
}

std::string file_arch(const DebianBuild& b) {
  if (b.debian.selection == BuildSelection::ArchAll) return "all";
  return b.snapshot.arch;
}

// What dpkg-genbuildinfo would record of the build step's environment: the
// sandbox's fixed values, the host's DEB_BUILD_OPTIONS, and over them what the
// variation set (an audit's recorded environment).
std::vector<std::pair<std::string, std::string>> recorded_environment(const DebianBuild& b) {
  std::map<std::string, std::string> env = {
      {"LANG", "C.UTF-8"},
      {"LC_ALL", "C.UTF-8"},
      {"SOURCE_DATE_EPOCH", std::to_string(b.info.source_date_epoch)},
      {"TZ", "UTC"}};
  if (const char* dbo = std::getenv("DEB_BUILD_OPTIONS"); dbo && *dbo) env["DEB_BUILD_OPTIONS"] = dbo;
  for (const auto& e : b.variation().env)
    if (auto eq = e.find('='); eq != std::string::npos &&
                               formats::rebuild_environment_variable(e.substr(0, eq)))
      env[e.substr(0, eq)] = e.substr(eq + 1);
  return {env.begin(), env.end()};
}

void record(DebianBuild& b) {
  RecordRequest r;
  r.source = b.info;
  r.arch = b.snapshot.arch;
  r.changes_arch = file_arch(b);
  r.architectures = architectures_of(b.packages);
  r.installed_build_depends = b.layer.packages;
  r.snapshot_id = b.snapshot.id;
  r.build_path = b.build_path();
  r.environment = recorded_environment(b);
  b.records = write_records(b.packages, r, b.staging_dir);
}

void lintian(DebianBuild& b, StepRunner& steps) {
  if (!b.build_root_has("usr/bin/lintian")) {
    steps.skip_current(
        "lintian is not in the build root (add it to the snapshot with --include lintian)");
    return;
  }
  SandboxStep step = b.step();
  step.binds.push_back({b.staging_dir, "/cleanroom/out", true});
  step.script = "lintian --info /cleanroom/out/*.deb || true\n";
  run_sandbox_step(b.ids, step);
}

std::vector<std::string> outputs_of(const DebianBuild& b) {
  std::vector<std::string> files;
  for (const auto& p : b.packages) files.push_back(p.path);
  files.insert(files.end(), b.records.begin(), b.records.end());
  return files;
}

std::string log_name(const DebianBuild& b) {
  std::string version = b.info.version_no_epoch.empty()
                            ? b.source_version.substr(b.source_version.find(':') + 1)
                            : b.info.version_no_epoch;
  return fmt::format("{}_{}_{}.build", b.source_name, version, file_arch(b));
}

void run_steps(DebianBuild& b, StepRunner& steps, BuildResult& result) {
  steps.run("unpack", [&] { unpack(b); });
  steps.note(fmt::format("snapshot {} ({})", b.snapshot_asked, b.snapshot.id.substr(0, 12)));
  steps.run("prepare", [&] { prepare(b, steps); });
  steps.run("build", [&] { build(b); });
  steps.run("normalize", [&] {
    b.packages = collect_packages(b.build_dir, b.staging_dir, b.info.source_date_epoch,
                                  b.snapshot.deb_compression);
  });
  steps.run("record", [&] { record(b); });
  if (b.debian.run_lintian)
    steps.run("lintian", [&] { lintian(b, steps); });
  else
    steps.skip("lintian", "--no-run-lintian");
  steps.run("publish", [&] { b.publish(outputs_of(b), result); });
}

struct SourceFacts {
  std::optional<SourceTreeInfo> tree;
  std::optional<DscInfo> dsc;
  std::string path;  // absolute
};

// Validates all input before any step runs.
SourceFacts inspect_source(const DebianBuildOptions& o) {
  struct stat st;
  if (::stat(o.source.c_str(), &st) != 0)
    throw_input(fmt::format("source '{}' does not exist; give a .dsc (with its files beside it) "
                            "or a directory containing debian/",
                            o.source));
  bool is_dsc = std::string_view(o.source).ends_with(".dsc") && S_ISREG(st.st_mode);
  if (!is_dsc && !S_ISDIR(st.st_mode))
    throw_input(fmt::format("source '{}' is neither a .dsc nor a directory", o.source));
  for (const auto& p : o.extra_packages)
    if (!std::string_view(p).ends_with(".deb") || ::access(p.c_str(), R_OK) != 0)
      throw_input(fmt::format("--extra-package '{}': not a readable .deb", p));
  SourceFacts facts;
  facts.path = real_path(o.source);
  if (is_dsc) {
    facts.dsc = inspect_dsc(facts.path);
    return facts;
  }
  if (!path_exists(facts.path + "/debian/changelog"))
    throw_input(fmt::format("'{}' has no debian/changelog; give the top of a Debian source tree",
                            facts.path));
  facts.tree = inspect_tree(facts.path);
  return facts;
}

}  // namespace

BuildResult build_debian_source(const DebianBuildOptions& o) {
  SourceFacts facts = inspect_source(o);
  store::Store store(store::default_store_path(o.store_path));
  std::string snapshot_name =
      snapshot_for_arch(store, choose_snapshot(o, store, facts.tree), o.arch);
  DebianBuild b(o, store, snapshot_name);
  b.dsc = facts.dsc;
  b.source_dir = facts.dsc ? facts.dsc->dir : facts.path;
  b.source_name = facts.dsc ? facts.dsc->source : facts.tree->source;
  b.source_version = facts.dsc ? facts.dsc->version : facts.tree->version;
  b.dir_name = o.variation.build_dir_name.empty()
                   ? b.source_name + "-" + b.source_version.substr(b.source_version.find(':') + 1)
                   : o.variation.build_dir_name;
  b.set_out_dir(o.out_dir.empty() ? parent_dir(facts.dsc ? facts.dsc->path : facts.path)
                                  : o.out_dir);
  b.build_dir = b.sandbox_dir("build");
  b.log(fmt::format("cleanroom: building {} {} on snapshot {} ({})", b.source_name,
                    b.source_version, snapshot_name, b.snapshot.id));

  BuildResult result;
  result.source = b.source_name;
  result.version = b.source_version;
  result.arch = b.snapshot.arch;
  return b.run(
      result, [&] { return log_name(b); }, b.dir_name,
      [&](StepRunner& steps, BuildResult& r) { run_steps(b, steps, r); });
}

}  // namespace cleanroom::build
