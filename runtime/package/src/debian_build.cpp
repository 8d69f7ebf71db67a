// The Debian source build pipeline. Reads top to bottom as the steps a user
// sees in the step table; each step's work lives in its own file.
#include "cleanroom/package/debian_build.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "build_outputs.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/store/store.h"
#include "cleanroom/store/work_dir.h"
#include "cleanroom/pipeline/build_log_excerpt.h"
#include "debian_source.h"
#include "cleanroom/pipeline/mounted_wheelhouse.h"
#include "cleanroom/pipeline/prepare_layer.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/sandbox_step.h"
#include "cleanroom/pipeline/staged_output.h"

namespace cleanroom::build {

namespace {

constexpr const char* kLogDirInside = "/cleanroom/log";
constexpr const char* kLogInside = "/cleanroom/log/build.log";
constexpr const char* kSourceInside = "/cleanroom/src";
constexpr const char* kWheelhouseInside = "/cleanroom/wheelhouse";
constexpr const char* kBuildUser = "cleanroom-build";

std::string copy_file(const std::string& from, const std::string& target) {
  stage_output(from, target).commit();
  return target;
}

void chown_tree(const std::string& root, uid_t uid, gid_t gid) {
  auto r = run_process({.argv = {"chown", "-R", "-h", fmt::format("{}:{}", uid, gid), root}});
  if (r.status != 0) throw_failure(fmt::format("chown -R '{}' failed", root));
}

// Everything the steps share.
struct BuildContext {
  BuildContext(const DebianBuildOptions& o, store::Store s, const std::string& snapshot_name)
      : options(o), store(std::move(s)), snapshot(use_runnable_snapshot(store, snapshot_name)),
        ids(store.id_map()), work(store) {}

  const DebianBuildOptions& options;
  store::Store store;
  store::SnapshotInfo snapshot;
  store::IdMap ids;
  std::optional<DscInfo> dsc;
  std::string source_dir;       // host: the tree (tree sources) or the .dsc's dir
  std::string source_name, source_version;  // known before unpacking
  std::string out_dir;
  // In the store's tmp/: a build killed midway is cleaned at the next store open.
  store::WorkDir work;          // build/, log/, staging/
  std::string build_dir, log_dir, log_path, staging_dir;
  std::string dir_name;         // <source>-<version without epoch>
  SourceTreeInfo info;
  store::LayerInfo layer;
  std::vector<CollectedPackage> packages;
  std::vector<std::string> records;
  std::string wheelhouse_dir;   // host directory mounted for pip, "" for none

  std::string build_path() const { return options.build_path_parent + "/" + dir_name; }
};

void append_log(const BuildContext& ctx, const std::string& line) {
  UniqueFd fd = open_fd(ctx.log_path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0644);
  write_all(fd.get(), line + "\n", ctx.log_path);
}

void own_for_sandbox_root(const BuildContext& ctx, const std::string& path) {
  if (::geteuid() != 0) return;
  if (::chown(path.c_str(), ctx.ids.host_uid_base, ctx.ids.host_gid_base) != 0)
    throw_errno(fmt::format("chown '{}'", path));
}

std::string choose_snapshot(const DebianBuildOptions& o, const store::Store& store,
                            const std::optional<SourceTreeInfo>& tree) {
  if (!o.snapshot.empty()) return o.snapshot;
  if (tree && !tree->distributions.empty()) {
    const std::string& dist = tree->distributions.front();
    if (store.read_alias(dist)) return dist;
  }
  return "bookworm";
}

SandboxStep base_step(const BuildContext& ctx) {
  SandboxStep step;
  step.lower_dirs = {ctx.snapshot.root_dir};
  step.arch = ctx.snapshot.arch;
  step.binds = {{ctx.build_dir, ctx.options.build_path_parent, false},
                {ctx.log_dir, kLogDirInside, false}};
  step.log_inside = kLogInside;
  step.quiet = ctx.options.quiet;
  step.hostname = ctx.options.hostname;
  step.domainname = ctx.options.domainname;
  step.timeout_seconds = ctx.options.timeout_seconds;
  return step;
}

// The sources are staged into the work dir first: the sandbox's root is an
// unprivileged host id and may not be able to enter the user's directories
// (a 0700 home, a mktemp dir), and it must never see more than the source.
void stage_sources(BuildContext& ctx, const std::string& stage) {
  make_dirs(stage);
  if (ctx.dsc) {
    std::string dsc_name = ctx.dsc->path.substr(ctx.dsc->path.rfind('/') + 1);
    copy_file(ctx.dsc->path, stage + "/" + dsc_name);
    for (const auto& f : ctx.dsc->files) copy_file(ctx.dsc->dir + "/" + f, stage + "/" + f);
  } else {
    auto r = run_process({.argv = {"cp", "-a", "--no-preserve=ownership", ctx.source_dir + "/.",
                                   stage + "/"}});
    if (r.status != 0)
      throw_failure(fmt::format("copying '{}' into the build directory failed", ctx.source_dir));
  }
  if (::geteuid() == 0) chown_tree(stage, ctx.ids.host_uid_base, ctx.ids.host_gid_base);
}

void unpack(BuildContext& ctx) {
  std::string stage = ctx.work.path() + "/src";
  stage_sources(ctx, stage);
  if (!ctx.options.wheelhouse.empty())
    ctx.wheelhouse_dir = resolve_wheelhouse(real_path(ctx.options.wheelhouse), ctx.work.path());
  SandboxStep step = base_step(ctx);
  step.binds.push_back({stage, kSourceInside, true});
  std::string dest = ctx.build_path();
  if (ctx.dsc) {
    std::string dsc_name = ctx.dsc->path.substr(ctx.dsc->path.rfind('/') + 1);
    step.script = fmt::format("dpkg-source --no-check -x {} {}\n",
                              shell_quote(std::string(kSourceInside) + "/" + dsc_name),
                              shell_quote(dest));
  } else {
    step.script = fmt::format("mkdir -p {0}\ncp -a {1}/. {0}/\n", shell_quote(dest),
                              shell_quote(kSourceInside));
  }
  // dpkg-source -x gives extracted files the modes the umask allows (its
  // fixperms), so verify's umask variation reaches the unpacked tree too.
  step.script = fmt::format("umask {:03o}\n", ctx.options.umask) + step.script;
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc != 0) throw_failure(fmt::format("unpacking the source failed (exit {})", rc));
  ctx.info = inspect_tree(ctx.build_dir + "/" + ctx.dir_name);
}

std::string requested_dependencies(const BuildContext& ctx) {
  const auto& i = ctx.info;
  std::vector<std::string> fields = {"build-essential", i.build_depends};
  if (ctx.options.selection != BuildSelection::ArchAll) fields.push_back(i.build_depends_arch);
  if (ctx.options.selection != BuildSelection::ArchAny) fields.push_back(i.build_depends_indep);
  if (i.rules_requires_root != "no") fields.push_back("fakeroot");
  for (const auto& p : ctx.options.extra_build_packages) fields.push_back(p);
  std::string joined;
  for (const auto& f : fields) {
    if (f.find_first_not_of(" \t\n") == std::string::npos) continue;
    if (!joined.empty()) joined += ", ";
    joined += f;
  }
  auto deps = formats::parse_dependencies(joined, "Build-Depends", ctx.build_dir + "/" +
                                          ctx.dir_name + "/debian/control");
  return formats::evaluate_build_dependencies(deps, ctx.snapshot.arch, {}).to_string();
}

bool prepare(BuildContext& ctx, StepRunner& steps) {
  PrepareRequest request;
  request.dependencies = requested_dependencies(ctx);
  request.extra_packages = ctx.options.extra_packages;
  request.extra_repositories = ctx.options.extra_repositories;
  request.log_host = ctx.log_path;
  request.offline = ctx.options.offline;
  request.quiet = ctx.options.quiet;
  PrepareResult result = prepare_layer(ctx.store, ctx.snapshot, request);
  ctx.layer = result.layer;
  steps.note(fmt::format("{} layer {}", result.reused ? "reused cached" : "built",
                         result.layer.key.substr(0, 12)));
  append_log(ctx, fmt::format("cleanroom: prepare: {} layer {}",
                              result.reused ? "reused cached" : "built", result.layer.key));
  return result.reused;
}

// The debian/rules targets dpkg-buildpackage's own sequence would run for the
// selection: clean, then build on its own only when binary needs root (as
// dpkg-buildpackage does), then binary. Run through `dpkg-buildpackage -T`, the
// environment is dpkg-buildpackage's, but the steps whose output cleanroom
// replaces or does not need are left out: dpkg-genbuildinfo and dpkg-genchanges
// (cleanroom writes both from the normalized files) and `dpkg-source
// --before-build`/`--after-build` (a no-op after `dpkg-source -x`). That is
// about a quarter of a small package's build.
std::string rules_targets(BuildSelection s, const std::string& rules_requires_root) {
  std::string suffix = s == BuildSelection::ArchAll   ? "-indep"
                       : s == BuildSelection::ArchAny ? "-arch"
                                                      : "";
  std::string targets = "clean";
  if (rules_requires_root != "no") targets += ",build" + suffix;
  return targets + ",binary" + suffix;
}

// A copied tree may have its quilt patches unapplied; dpkg-buildpackage would
// apply them before anything else, so the script does (formats 2.0 and 3.0
// (quilt) are the only ones whose --before-build does anything).
std::string apply_patches_of_tree(const std::string& run_as) {
  return "if grep -qsE '^(3\\.0 \\(quilt\\)|2\\.0)$' debian/source/format; then " + run_as +
         "dpkg-source --before-build .; fi\n";
}

unsigned job_count(const DebianBuildOptions& o) {
  if (o.jobs > 0) return o.jobs;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

SandboxStep build_step(const BuildContext& ctx) {
  const auto& o = ctx.options;
  SandboxStep step = base_step(ctx);
  step.lower_dirs = {ctx.layer.upper_dir, ctx.snapshot.root_dir};
  step.source_date_epoch = ctx.info.source_date_epoch;
  std::string dbo = fmt::format("parallel={}", job_count(o));
  if (const char* host = std::getenv("DEB_BUILD_OPTIONS"); host && *host)
    dbo = std::string(host) + " " + dbo;
  step.env = {"DEB_BUILD_OPTIONS=" + dbo, "HOME=/nonexistent/cleanroom-home",
              std::string("LOGNAME=") + kBuildUser, std::string("USER=") + kBuildUser};
  // The normalize step rewrites every .deb with the suite's compressor anyway:
  // dpkg-deb (1.21.10 and later) need not compress what is thrown away.
  step.env.push_back("DPKG_DEB_COMPRESSOR_TYPE=none");
  if (!ctx.wheelhouse_dir.empty()) {
    step.binds.push_back({ctx.wheelhouse_dir, kWheelhouseInside, true});
    step.env.push_back("PIP_NO_INDEX=1");
    step.env.push_back(std::string("PIP_FIND_LINKS=") + kWheelhouseInside);
  }
  for (const auto& e : o.extra_env) step.env.push_back(e);
  return step;
}

std::string build_script(const BuildContext& ctx) {
  const auto& o = ctx.options;
  std::string run_as;
  std::string s;
  // A single-id store (rootless without a subordinate range) has no id for a
  // build user: the build then runs as the sandbox's root.
  if (ctx.ids.count > std::max(o.build_uid, o.build_gid)) {
    s += fmt::format("getent group {1} >/dev/null || groupadd -g {1} {0}\n"
                     "getent passwd {2} >/dev/null || useradd -u {2} -g {1} -M -d "
                     "/nonexistent/cleanroom-home -s /bin/sh {0}\n"
                     "chown -R {2}:{1} {3}\n",
                     kBuildUser, o.build_gid, o.build_uid, shell_quote(o.build_path_parent));
    run_as = fmt::format("setpriv --reuid={} --regid={} --clear-groups -- ", o.build_uid,
                         o.build_gid);
  }
  s += o.build_preamble;
  s += "cd " + shell_quote(ctx.build_path()) + "\n";
  s += fmt::format("umask {:03o}\n", o.umask);
  if (!ctx.dsc) s += apply_patches_of_tree(run_as);
  std::string root_cmd = ctx.info.rules_requires_root == "no" ? "" : " -rfakeroot";
  std::string args = fmt::format("-us -uc -ui -T {} -j{}{}",
                                 rules_targets(o.selection, ctx.info.rules_requires_root),
                                 job_count(o), root_cmd);
  s += fmt::format("echo '+ dpkg-buildpackage {}'\n", args);
  s += fmt::format("{}{}dpkg-buildpackage {}\n", run_as,
                   o.build_command_prefix.empty() ? "" : o.build_command_prefix + " ", args);
  return s;
}

void build(BuildContext& ctx) {
  SandboxStep step = build_step(ctx);
  step.script = build_script(ctx);
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc == 0) return;
  if (ctx.options.shell_on_failure && ::isatty(STDIN_FILENO)) {
    SandboxStep shell = build_step(ctx);
    shell.interactive = true;
    shell.script = fmt::format("cd {}\necho 'build failed: a shell in the build tree; exit to "
                               "end'\nexec bash -i\n",
                               shell_quote(ctx.build_path()));
    run_sandbox_step(ctx.ids, shell);
  }
  if (rc == 124) throw_failure("dpkg-buildpackage timed out");
  std::string why = error_line_in_log(ctx.log_path);
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

std::string file_arch(const BuildContext& ctx) {
  if (ctx.options.selection == BuildSelection::ArchAll) return "all";
  return ctx.snapshot.arch;
}

void record(BuildContext& ctx) {
  RecordRequest r;
  r.source = ctx.info;
  r.arch = ctx.snapshot.arch;
  r.changes_arch = file_arch(ctx);
  r.architectures = architectures_of(ctx.packages);
  r.installed_build_depends = ctx.layer.packages;
  r.snapshot_id = ctx.snapshot.id;
  r.build_path = ctx.build_path();
  if (const char* dbo = std::getenv("DEB_BUILD_OPTIONS"); dbo && *dbo)
    r.environment.push_back({"DEB_BUILD_OPTIONS", dbo});
  r.environment.push_back({"LANG", "C.UTF-8"});
  r.environment.push_back({"LC_ALL", "C.UTF-8"});
  r.environment.push_back({"SOURCE_DATE_EPOCH", std::to_string(ctx.info.source_date_epoch)});
  r.environment.push_back({"TZ", "UTC"});
  ctx.records = write_records(ctx.packages, r, ctx.staging_dir);
}

void lintian(BuildContext& ctx, StepRunner& steps) {
  bool present = path_exists(ctx.layer.upper_dir + "/usr/bin/lintian") ||
                 path_exists(ctx.snapshot.root_dir + "/usr/bin/lintian");
  if (!present) {
    steps.note("lintian is not in the build root (add it to the snapshot with --include lintian)");
    return;
  }
  SandboxStep step = base_step(ctx);
  step.lower_dirs = {ctx.layer.upper_dir, ctx.snapshot.root_dir};
  step.binds.push_back({ctx.staging_dir, "/cleanroom/out", true});
  step.script = "lintian --info /cleanroom/out/*.deb || true\n";
  run_sandbox_step(ctx.ids, step);
}

std::string publish_file(const std::string& from, const std::string& out_dir,
                         const std::string& name) {
  return copy_file(from, out_dir + "/" + name);
}

std::string base_name(const std::string& p) { return p.substr(p.rfind('/') + 1); }

// Every output is written under its temporary name before the first rename: a
// full disk fails the step while every file of a previous build is still there
// (the uncommitted temporaries remove themselves).
void publish(BuildContext& ctx, DebianBuildResult& result) {
  std::vector<AtomicFile> staged;
  for (const auto& p : ctx.packages)
    staged.push_back(stage_output(p.path, ctx.out_dir + "/" + p.name));
  for (const auto& r : ctx.records)
    staged.push_back(stage_output(r, ctx.out_dir + "/" + base_name(r)));
  for (auto& file : staged) {
    file.commit();
    result.artifacts.push_back(file.target());
  }
}

// Moves the work dir out of tmp/ (where the next store open would remove it)
// into <store>/kept-builds/, same filesystem, so one rename keeps it whole.
std::string keep_work_dir(const BuildContext& ctx) {
  std::string kept_root = ctx.store.path() + "/kept-builds";
  make_dirs(kept_root);
  std::string dest = kept_root + "/" + ctx.dir_name + "-" +
                     ctx.work.path().substr(ctx.work.path().rfind('/') + 1);
  if (::rename(ctx.work.path().c_str(), dest.c_str()) != 0)
    throw_errno(fmt::format("keep build directory '{}'", ctx.work.path()));
  return dest;
}

std::string log_name(const BuildContext& ctx) {
  std::string version = ctx.info.version_no_epoch.empty()
                            ? ctx.source_version.substr(ctx.source_version.find(':') + 1)
                            : ctx.info.version_no_epoch;
  return fmt::format("{}_{}_{}.build", ctx.source_name, version, file_arch(ctx));
}

}  // namespace

DebianBuildResult build_debian_source(const DebianBuildOptions& o) {
  // Validate all input before any step runs.
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

  std::optional<SourceTreeInfo> tree_info;
  std::optional<DscInfo> dsc;
  std::string source_abs = real_path(o.source);
  if (is_dsc) {
    dsc = inspect_dsc(source_abs);
  } else {
    if (!path_exists(source_abs + "/debian/changelog"))
      throw_input(fmt::format("'{}' has no debian/changelog; give the top of a Debian source "
                              "tree",
                              source_abs));
    tree_info = inspect_tree(source_abs);
  }

  store::Store store(store::default_store_path(o.store_path));
  std::string snapshot_name = snapshot_for_arch(store, choose_snapshot(o, store, tree_info), o.arch);
  BuildContext ctx(o, store, snapshot_name);
  ctx.dsc = dsc;
  ctx.source_dir = is_dsc ? dsc->dir : source_abs;
  ctx.source_name = is_dsc ? dsc->source : tree_info->source;
  ctx.source_version = is_dsc ? dsc->version : tree_info->version;
  ctx.dir_name = ctx.source_name + "-" + ctx.source_version.substr(ctx.source_version.find(':') + 1);
  ctx.out_dir = o.out_dir.empty() ? parent_dir(is_dsc ? dsc->path : source_abs) : o.out_dir;
  prepare_output_dir(ctx.out_dir);

  ctx.build_dir = ctx.work.path() + "/build";
  ctx.log_dir = ctx.work.path() + "/log";
  ctx.staging_dir = ctx.work.path() + "/staging";
  for (const auto& d : {ctx.build_dir, ctx.log_dir, ctx.staging_dir}) make_dirs(d);
  ctx.log_path = ctx.log_dir + "/build.log";
  for (const auto& d : {ctx.work.path(), ctx.build_dir, ctx.log_dir}) own_for_sandbox_root(ctx, d);
  append_log(ctx, fmt::format("cleanroom: building {} {} on snapshot {} ({})", ctx.source_name,
                              ctx.source_version, snapshot_name, ctx.snapshot.id));
  own_for_sandbox_root(ctx, ctx.log_path);

  DebianBuildResult result;
  result.source = ctx.source_name;
  result.version = ctx.source_version;
  result.arch = ctx.snapshot.arch;
  StepRunner steps;
  try {
    steps.run("unpack", [&] { unpack(ctx); });
    steps.run("prepare", [&] { result.layer_reused = prepare(ctx, steps); });
    if (o.after_prepare) o.after_prepare();
    steps.run("build", [&] { build(ctx); });
    steps.run("normalize", [&] {
      ctx.packages = collect_packages(ctx.build_dir, ctx.staging_dir, ctx.info.source_date_epoch,
                                      ctx.snapshot.deb_compression);
    });
    steps.run("record", [&] { record(ctx); });
    if (o.run_lintian)
      steps.run("lintian", [&] { lintian(ctx, steps); });
    else
      steps.skip("lintian", "--no-run-lintian");
    steps.run("publish", [&] { publish(ctx, result); });
    result.ok = true;
  } catch (const Error& e) {
    result.error = e.what();
    result.error_kind = e.kind();
    result.failed_step = steps.failed() ? steps.failed()->name : "";
    append_log(ctx, fmt::format("cleanroom: step {} failed: {}", result.failed_step, e.what()));
  }
  result.steps = steps.records();
  result.log_path = publish_file(ctx.log_path, ctx.out_dir, log_name(ctx));
  if (o.keep_build_dir) result.kept_build_dir = keep_work_dir(ctx);
  return result;
}

int build_exit_code(const DebianBuildResult& result) {
  if (result.ok) return 0;
  if (result.error_kind == ErrorKind::Interrupted && stop_request() != 0)
    return 128 + stop_request();
  return result.error_kind == ErrorKind::Environment ? 3 : 1;
}

std::string build_result_to_json(const DebianBuildResult& r) {
  nlohmann::json j = {{"format_version", 1},
                      {"ok", r.ok},
                      {"source", r.source},
                      {"version", r.version},
                      {"arch", r.arch},
                      {"steps", nlohmann::json::parse(steps_to_json(r.steps))},
                      {"artifacts", r.artifacts},
                      {"log", r.log_path},
                      {"failed_step", r.failed_step},
                      {"error", r.error},
                      {"layer_reused", r.layer_reused}};
  if (!r.kept_build_dir.empty()) j["build_dir"] = r.kept_build_dir;
  return j.dump(2);
}

}  // namespace cleanroom::build
