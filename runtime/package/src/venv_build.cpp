#include "venv_build.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <optional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/safe_path.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/entry_points.h"
#include "cleanroom/python/import_check.h"
#include "cleanroom/python/pip_invocation.h"
#include "cleanroom/python/recipe_files.h"
#include "cleanroom/python/recipe_requirements.h"
#include "cleanroom/python/resolver.h"
#include "cleanroom/python/wheelhouse_lock.h"
#include "cleanroom/repro/normalize.h"
#include "bundle_files.h"
#include "python_package.h"
#include "venv_links.h"
#include "venv_script.h"
#include "wheelhouse_wheels.h"

namespace cleanroom::build {

namespace {

constexpr const char* kWheelhouseInside = "/cleanroom/wheelhouse";
constexpr const char* kInputInside = "/cleanroom/input";
constexpr const char* kOutInside = "/cleanroom/out";

// binutils: strip, for the compiled modules (as dh_strip does).
const std::vector<std::string> kVenvPackages = {"python3-venv", "python3-pip", "binutils"};

struct VenvState {
  TargetFacts facts;
  std::string wheelhouse;  // host directory holding wheelhouse.lock, sandbox-readable
  python::WheelhouseLock lock;
  std::string lock_hash;
  std::map<std::string, WheelFacts> wheels;  // file name -> facts
  std::vector<python::Requirement> top_level;
  python::MarkerEnvironment environment;
  python::Plan plan;
  std::string root, venv_dir, input_dir, out_dir;
  std::vector<python::Link> links;
  std::vector<python::ImportTarget> import_targets;
  std::vector<std::string> depends;  // the Depends relations, in order
};

// The directory of a wheelhouse .deb's data that holds wheelhouse.lock.
std::string find_lock_dir(const std::string& root, const std::string& deb) {
  std::string found;
  for (const auto& e : formats::scan_tree(root)) {
    if (e.type != formats::EntryType::File) continue;
    if (e.path != python::kLockFileName && !std::string_view(e.path).ends_with(std::string("/") + python::kLockFileName))
      continue;
    if (!found.empty())
      throw_input(fmt::format("wheelhouse '{}' holds two {} files; give one wheelhouse", deb,
                              python::kLockFileName));
    found = root + "/" + e.path.substr(0, e.path.size() - std::string(python::kLockFileName).size());
  }
  if (found.empty())
    throw_input(fmt::format("'{}' holds no {}; give a wheelhouse .deb built by cleanroom", deb,
                            python::kLockFileName));
  while (!found.empty() && found.back() == '/') found.pop_back();
  return found;
}

void mount_wheelhouse(const RecipeContext& ctx, VenvState& st, const std::string& source) {
  struct stat sb;
  if (::stat(source.c_str(), &sb) != 0)
    throw_errno(fmt::format("wheelhouse '{}'", source), errno, ErrorKind::Input);
  std::string staged = ctx.work.path() + "/wheelhouse";
  if (S_ISDIR(sb.st_mode)) {
    if (!path_exists(source + "/" + python::kLockFileName))
      throw_input(fmt::format("wheelhouse '{}' has no {}; build it with a wheelhouse recipe",
                              source, python::kLockFileName));
    ctx.stage_copy(source, staged);
    st.wheelhouse = staged;
  } else {
    make_dirs(staged);
    formats::DebReader deb(source);
    deb.extract_data(staged, {});
    ctx.own_tree(staged);
    st.wheelhouse = find_lock_dir(staged, source);
  }
  std::string lock_path = st.wheelhouse + "/" + python::kLockFileName;
  st.lock = python::read_lock(lock_path);
  st.lock_hash = sha256_file(lock_path);
  auto problems = python::check_directory_against_lock(st.wheelhouse, st.lock);
  if (!problems.empty()) {
    python::Diagnostics diag;
    for (const auto& p : problems) diag.add(fmt::format("wheelhouse '{}': {}", source, p));
    diag.throw_if_any(ErrorKind::Input);
  }
  ctx.log(fmt::format("cleanroom: wheelhouse '{}': {} wheels, {} sha256 {}", source,
                      st.lock.entries.size(), python::kLockFileName, st.lock_hash));
}

void resolve(const RecipeContext& ctx, VenvState& st) {
  auto reqs = python::read_recipe_requirements(ctx.recipe);
  st.top_level = reqs.requirements;
  st.environment = python::MarkerEnvironment::linux_cpython(
      st.facts.python_full_version, python::machine_for_debian_arch(ctx.snapshot.arch));
  python::ResolveInput input;
  input.requirements = reqs.requirements;
  input.constraints = reqs.constraints;
  input.environment = st.environment;
  input.target = python::WheelTarget::for_snapshot(st.facts.python_full_version,
                                                   ctx.snapshot.arch, st.facts.glibc_version);
  for (const auto& e : st.lock.entries) {
    WheelFacts facts = read_wheel_facts(st.wheelhouse + "/" + e.filename);
    input.available.push_back(wheel_distribution(facts));
    st.wheels[e.filename] = std::move(facts);
  }
  st.plan = with_context("the wheelhouse cannot satisfy the venv's requirements",
                         [&] { return python::resolve(input); });
  ctx.log("cleanroom: plan:");
  for (const auto& line : python::describe_plan(st.plan)) ctx.log("  " + line);
  std::map<std::string, std::string> entry_points;
  for (const python::PlanEntry* e : st.plan.wheels())
    entry_points[e->key] = st.wheels.at(e->filename).entry_points;
  st.links = python::venv_links(ctx.recipe, st.top_level, st.environment, entry_points);
  if (ctx.recipe.venv.import_check) {
    std::map<std::string, python::WheelModules> wheels;
    for (const python::PlanEntry* e : st.plan.wheels()) {
      const WheelFacts& facts = st.wheels.at(e->filename);
      wheels[e->key] = {facts.entry_points, facts.members};
    }
    st.import_targets = python::import_targets(st.top_level, st.environment, wheels,
                                               ctx.recipe.venv.import_check_modules);
  }
}

void build_venv(RecipeContext& ctx, VenvState& st) {
  st.input_dir = ctx.sandbox_dir("input");
  st.out_dir = ctx.sandbox_dir("out");
  write_file_atomic(st.input_dir + "/requirements.txt",
                    python::pinned_requirements(st.plan, st.lock));
  ctx.own(st.input_dir + "/requirements.txt");
  make_dirs(st.venv_dir);
  ctx.own(st.venv_dir);

  VenvScript v;
  v.python = ctx.recipe.python;
  v.venv_path = ctx.recipe.venv.venv_path;
  v.wheelhouse = kWheelhouseInside;
  v.requirements = std::string(kInputInside) + "/requirements.txt";
  v.out_dir = kOutInside;
  v.compile_bytecode = ctx.recipe.venv.bytecode;
  v.include_pip = ctx.recipe.venv.include_pip;
  v.debug_symbols = ctx.recipe.venv.debug_symbols;
  SandboxStep step = ctx.step();
  step.binds.push_back({st.wheelhouse, kWheelhouseInside, true});
  step.binds.push_back({st.input_dir, kInputInside, true});
  step.binds.push_back({st.out_dir, kOutInside, false});
  step.binds.push_back({st.venv_dir, v.venv_path, false});
  step.env = python::pip_environment(kWheelhouseInside, ctx.epoch);
  step.env.push_back("HOME=/nonexistent/cleanroom-home");
  step.script = venv_build_script(v);
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc != 0)
    throw_failure(rc == 124 ? "creating the venv timed out"
                            : fmt::format("creating the venv failed (exit {}); see the log", rc));
}

void compute_depends(const RecipeContext& ctx, VenvState& st, StepRunner& steps) {
  std::string version = read_sandbox_file(st.out_dir, "python-version", kSandboxTextMax);
  unsigned major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%u.%u", &major, &minor) != 2)
    throw_failure(fmt::format("the venv's python reports version '{}'", version));
  std::vector<std::string> unowned;
  auto packages = shlib_packages(read_sandbox_file(st.out_dir, "shlibs", kSandboxTextMax), unowned);
  if (!unowned.empty()) {
    throw_failure(fmt::format("no Debian package provides {} which the venv's compiled modules "
                              "load; install it from a package in the snapshot",
                              join(unowned, ", ")));
  }
  std::vector<std::string> parts;
  std::string python = python_depends(major, minor);
  for (std::size_t at = 0; at < python.size();) {
    std::size_t comma = python.find(", ", at);
    if (comma == std::string::npos) comma = python.size();
    parts.push_back(python.substr(at, comma - at));
    at = comma + 2;
  }
  for (const auto& p : packages) parts.push_back(p);
  // A recipe often repeats the Python bound already computed.
  for (const auto& d : ctx.recipe.venv.depends)
    if (std::find(parts.begin(), parts.end(), d) == parts.end()) parts.push_back(d);
  st.depends = parts;
  steps.note("Depends: " + join(parts, ", "));
  ctx.log("cleanroom: Depends: " + join(parts, ", "));
}

// Each wheel of the plan as the copyright file and the SBOM name it.
python::BundleFacts venv_bundle(const RecipeContext& ctx, const VenvState& st) {
  python::BundleFacts facts =
      bundle_facts(ctx, python::BundleKind::Venv, ctx.recipe.venv.venv_path);
  std::string site_packages = fmt::format("{}/lib/python{}.{}/site-packages",
                                          ctx.recipe.venv.venv_path.substr(1),
                                          st.facts.python_major, st.facts.python_minor);
  for (const python::PlanEntry* e : st.plan.wheels()) {
    std::string sha256;
    for (const auto& l : st.lock.entries)
      if (l.filename == e->filename) sha256 = l.sha256;
    facts.bundled.push_back(installed_distribution(st.wheels.at(e->filename), sha256, site_packages));
  }
  std::sort(facts.bundled.begin(), facts.bundled.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  facts.depends = st.depends;
  return facts;
}

// The debug files the venv step kept, as their own package; the step wrote
// them, so they are read as untrusted (build_deb takes regular files and
// directories only).
std::optional<CollectedPackage> pack_debug_symbols(const RecipeContext& ctx, const VenvState& st) {
  if (!ctx.recipe.venv.debug_symbols) return std::nullopt;
  std::vector<std::string> ids;
  std::string listed = read_sandbox_file(st.out_dir, "build-ids", kSandboxTextMax);
  for (std::size_t at = 0; at < listed.size();) {
    std::size_t end = std::min(listed.find('\n', at), listed.size());
    std::string id = listed.substr(at, end - at);
    at = end + 1;
    if (id.size() < 4 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw_failure(fmt::format("the venv step listed '{}' as a build ID", id));
    ids.push_back(id);
  }
  if (ids.empty())
    throw_input(fmt::format("{}: debug_symbols = true, but the venv has no compiled module with "
                            "a build ID; drop debug_symbols",
                            ctx.recipe.file));
  std::sort(ids.begin(), ids.end());
  std::string root = st.out_dir + "/debug";
  // The sandbox made that directory: a link there would lead to the host's.
  UniqueFd root_fd = open_fd(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  std::string doc = "usr/share/doc";
  formats::make_dirs_beneath(root_fd.get(), doc, 0755);
  // Debian's dbgsym packages point their doc directory at the package's.
  if (::symlinkat(ctx.recipe.name.c_str(), root_fd.get(), (doc + "/" + ctx.recipe.name + "-dbgsym").c_str()) != 0)
    throw_errno("the -dbgsym package's doc link", errno);
  repro::normalize_tree(root, {ctx.epoch, true});
  return pack_dbgsym_deb(ctx, root, ctx.work.path() + "/control-dbgsym", ids);
}

void check_leaks(const RecipeContext& ctx, const VenvState& st) {
  // What the step mounted besides the venv, and the host side of it all; a
  // plain "/build/" would also match packages that have a build/ module.
  std::vector<std::string> build_paths = {kWheelhouseInside, kInputInside, kOutInside,
                                          ctx.work.path()};
  python::Diagnostics diag;
  for (const auto& e : formats::scan_tree(st.venv_dir)) {
    if (e.type != formats::EntryType::File || !is_leak_checked_file(e.path)) continue;
    // The venv's files are the sandbox's; a module may be large (a .so).
    std::string data = read_sandbox_file(st.venv_dir, e.path, kSandboxArchiveMax);
    for (const auto& leak : build_path_leaks(e.path, data, build_paths))
      diag.add(fmt::format("{}: {}; the venv must be created at its install path", 
                           ctx.recipe.venv.venv_path, leak));
  }
  diag.throw_if_any(ErrorKind::Failure);
}

void add_links(const RecipeContext& ctx, const VenvState& st) {
  for (const auto& l : st.links) {
    std::string inside = l.target;
    if (inside.rfind(ctx.recipe.venv.venv_path + "/", 0) == 0 &&
        !path_exists(st.venv_dir + inside.substr(ctx.recipe.venv.venv_path.size())))
      throw_input(fmt::format("link '{}' points at '{}', which the venv does not have", l.link,
                              l.target));
  }
  stage_links(st.root, st.links);
}

void add_extras(const RecipeContext& ctx, const VenvState& st, const std::string& control) {
  for (const auto& [name, path] : ctx.recipe.venv.maintainer_scripts)
    write_file_atomic(control + "/" + name, python::read_recipe_file(ctx.recipe, path),
                      name == "templates" || name == "triggers" ? 0644 : 0755);
  std::string dir = st.root + "/lib/systemd/system";
  if (!ctx.recipe.venv.systemd_units.empty()) {
    // Beneath the root with no link followed: a recipe's link at /lib/systemd
    // must not carry the units into the host's directory.
    UniqueFd root_fd = open_fd(st.root, O_RDONLY | O_DIRECTORY);
    with_context("systemd units' directory /lib/systemd/system",
                 [&] { formats::make_dirs_beneath(root_fd.get(), "lib/systemd/system", 0755); });
  }
  for (const auto& unit : ctx.recipe.venv.systemd_units) {
    write_file_atomic(dir + "/" + file_name(unit.resolved),
                      python::read_recipe_file(ctx.recipe, unit));
  }
}

// The import check's report: one line per failed import, each turned into
// a problem naming the distribution, the module and the fix.
void throw_import_failures(const std::string& report) {
  python::Diagnostics diag;
  std::size_t pos = 0;
  while (pos < report.size()) {
    std::size_t end = std::min(report.find('\n', pos), report.size());
    std::string line = report.substr(pos, end - pos);
    pos = end + 1;
    std::vector<std::string> f;
    for (std::size_t at = 0;;) {
      std::size_t tab = line.find('\t', at);
      f.push_back(line.substr(at, tab == std::string::npos ? tab : tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    if (f.size() != 4) continue;
    std::string who = f[0].empty() ? "import_check_modules" : f[0];
    if (!f[2].empty())
      diag.add(fmt::format("import check: {}: 'import {}' needs module '{}', which the venv "
                           "lacks; {}",
                           who, f[1], f[2], python::import_failure_fix(f[2])));
    else
      diag.add(fmt::format("import check: {}: 'import {}' failed ({}); see the log, or set "
                           "import_check = false",
                           who, f[1], f[3]));
  }
  diag.throw_if_any(ErrorKind::Failure);
}

// Over the bare snapshot, not the prepared layer: what a user's machine has.
// Unvaried: verify varies the build, and the variation's tools (libfaketime,
// wrappers) live in the prepared layer this step does not have.
void smoke_test(const RecipeContext& ctx, const VenvState& st, const CollectedPackage& deb) {
  const auto& test = ctx.recipe.venv.test;
  SandboxStep step = ctx.step();
  step.variation = {};
  step.lower_dirs = {ctx.snapshot.root_dir};
  step.binds.push_back({ctx.staging_dir, "/cleanroom/debs", true});
  std::string out = ctx.sandbox_dir("import-check");
  step.binds.push_back({out, kOutInside, false});
  std::int64_t timeout = test ? test->timeout_seconds : python::SmokeTest{}.timeout_seconds;
  step.timeout_seconds = static_cast<std::uint64_t>(timeout);
  std::string import_check;
  if (!st.import_targets.empty())
    import_check = import_check_script(ctx.recipe.venv.venv_path + "/bin/python",
                                       st.import_targets, std::string(kOutInside) + "/failed");
  step.script = smoke_test_script("/cleanroom/debs/" + deb.name,
                                  test ? test->commands : std::vector<std::string>{},
                                  import_check);
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc == 124)
    throw_failure(fmt::format("the test step took longer than {} seconds", timeout));
  if (rc != 0 && path_exists(out + "/failed"))
    throw_import_failures(read_sandbox_file(out, "failed", kSandboxTextMax));
  if (rc != 0)
    throw_failure(fmt::format("the recipe's [test] failed (exit {}); see the log", rc));
}

}  // namespace

std::vector<std::string> run_venv_steps(RecipeContext& ctx, StepRunner& steps,
                                        const std::string& wheelhouse) {
  VenvState st;
  st.root = ctx.work.path() + "/root";
  st.venv_dir = st.root + ctx.recipe.venv.venv_path;

  steps.run("inspect", [&] { st.facts = probe_target(ctx); });
  steps.run("wheelhouse", [&] {
    mount_wheelhouse(ctx, st, wheelhouse);
    steps.note(fmt::format("{} wheels", st.lock.entries.size()));
  });
  steps.run("prepare", [&] {
    std::vector<std::string> packages = kVenvPackages;
    for (const auto& p : ctx.recipe.build_packages) packages.push_back(p);
    prepare_packages(ctx, steps, packages);
  });
  steps.run("resolve", [&] {
    resolve(ctx, st);
    steps.note(fmt::format("{} distributions", st.plan.entries.size()));
  });
  steps.run("venv", [&] { build_venv(ctx, st); });
  steps.run("check", [&] {
    check_leaks(ctx, st);
    compute_depends(ctx, st, steps);
  });
  CollectedPackage deb;
  std::optional<CollectedPackage> dbgsym;
  std::string sbom;
  steps.run("package", [&] {
    std::string control = ctx.work.path() + "/control";
    make_dirs(control);
    add_links(ctx, st);
    add_extras(ctx, st, control);
    python::BundleFacts bundle = venv_bundle(ctx, st);
    sbom = write_bundle_files(ctx, steps, bundle, st.root);
    repro::normalize_tree(st.root, {ctx.epoch, true});
    deb = pack_recipe_deb(ctx, st.root, control, {{"Depends", join(st.depends, ", ")}},
                          python::extended_description(bundle, ctx.recipe.long_description));
    dbgsym = pack_debug_symbols(ctx, st);
  });
  if (ctx.recipe.venv.test || !st.import_targets.empty())
    steps.run("test", [&] {
      smoke_test(ctx, st, deb);
      if (!st.import_targets.empty())
        steps.note(fmt::format("{} modules import", st.import_targets.size()));
    });
  else
    steps.skip("test", "the recipe has no [test] and nothing to import");
  if (ctx.run_lintian)
    steps.run("lintian", [&] { lintian_step(ctx, steps, deb.name); });
  else
    steps.skip("lintian", "--no-run-lintian");
  std::vector<std::string> outputs;
  std::vector<CollectedPackage> debs = {deb};
  if (dbgsym) debs.push_back(*dbgsym);
  steps.run("record", [&] { outputs = write_recipe_records(ctx, debs, st.lock_hash); });
  for (auto it = debs.rbegin(); it != debs.rend(); ++it) outputs.insert(outputs.begin(), it->path);
  outputs.push_back(sbom);
  return outputs;
}

}  // namespace cleanroom::build
