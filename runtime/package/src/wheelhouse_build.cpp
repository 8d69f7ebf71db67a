#include "wheelhouse_build.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>
#include <fmt/format.h>
#include <map>
#include <set>

#include "cleanroom/base/file_system.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/progress.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/formats/wheel.h"
#include "cleanroom/python/build_env.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/recipe_files.h"
#include "cleanroom/python/recipe_requirements.h"
#include "cleanroom/python/resolver.h"
#include "cleanroom/python/simple_index.h"
#include "cleanroom/python/wheel_contents.h"
#include "cleanroom/python/wheelhouse_lock.h"
#include "bundle_files.h"
#include "python_package.h"
#include "wheel_build_failure.h"
#include "cleanroom/package/wheel_cache.h"
#include "wheelhouse_script.h"
#include "wheelhouse_wheels.h"

namespace cleanroom::build {

namespace {

constexpr const char* kSourcesInside = "/cleanroom/sources";
constexpr const char* kWheelsOutInside = "/cleanroom/wheels";

// What a wheelhouse build always needs on top of the recipe's own packages.
const std::vector<std::string> kWheelBuildPackages = {
    "python3-pip", "python3-setuptools", "python3-wheel", "python3-venv", "python3-dev"};

struct WheelhouseState {
  TargetFacts facts;
  python::ResolveInput input;
  python::Plan plan;
  std::string sources_dir;  // the recipe's, on the host
  std::string wheel_dir;    // root/<install_path>: the wheelhouse as shipped
  std::string root;
  std::map<std::string, WheelFacts> wheels;  // file name -> facts, every wheel shipped
  std::set<std::string> built;               // sdist file names already built
};

void resolve(const RecipeContext& ctx, WheelhouseState& st) {
  st.plan = python::resolve(st.input);
  ctx.log("cleanroom: plan:");
  for (const auto& line : python::describe_plan(st.plan)) ctx.log("  " + line);
}

// A [build_env.<name>] table must name a distribution the recipe asks for
// (a requirement or a constraint): anything else is a typo that would
// silently build without the setting.
void check_build_env(const RecipeContext& ctx, const WheelhouseState& st) {
  std::vector<std::string> known;
  for (const auto& r : st.input.requirements) known.push_back(r.key);
  for (const auto& r : st.input.constraints) known.push_back(r.key);
  python::Diagnostics diag;
  for (const auto& problem : python::unknown_build_env_distributions(
           ctx.recipe.wheelhouse.build_env, known, ctx.recipe.file))
    diag.add(problem);
  diag.throw_if_any();
}

void read_inputs(const RecipeContext& ctx, WheelhouseState& st) {
  auto reqs = python::read_recipe_requirements(ctx.recipe);
  st.input.requirements = reqs.requirements;
  st.input.constraints = reqs.constraints;
  check_build_env(ctx, st);
  st.input.environment = python::MarkerEnvironment::linux_cpython(
      st.facts.python_full_version, python::machine_for_debian_arch(ctx.snapshot.arch));
  st.input.target = python::WheelTarget::for_snapshot(st.facts.python_full_version,
                                                      ctx.snapshot.arch, st.facts.glibc_version);
  st.sources_dir = ctx.recipe.wheelhouse.sources.resolved;
  auto listing = python::distributions_from_filenames(python::list_directory(st.sources_dir));
  for (auto& d : listing.distributions) {
    // The recipe's like any file it names: a link out of sources/, a FIFO or
    // a second link to a host file is refused before anything reads it.
    open_untrusted_file(st.sources_dir, d.filename, kSandboxArchiveMax, python::kRecipeFile);
    if (d.kind == python::Distribution::Kind::Wheel) {
      WheelFacts facts = read_wheel_facts(st.sources_dir + "/" + d.filename);
      d = wheel_distribution(facts);
      st.wheels[d.filename] = std::move(facts);
    }
    st.input.available.push_back(std::move(d));
  }
  for (const auto& name : listing.ignored)
    ctx.log(fmt::format("cleanroom: sources: ignoring '{}' (neither a wheel nor an sdist)", name));
}

std::string wheel_log_name(const python::PlanEntry& e) {
  return fmt::format("{}-{}.wheel.log", e.key, e.version.str());
}

SdistBuild sdist_build_for(const RecipeContext& ctx, const python::PlanEntry& e) {
  SdistBuild b;
  b.sdist = std::string(kSourcesInside) + "/" + e.filename;
  b.build_path = sdist_build_path(e.key, e.version.str());
  b.out_dir = kWheelsOutInside;
  b.version = e.version.str();
  b.python = ctx.recipe.python;
  b.log = "/cleanroom/log/" + wheel_log_name(e);
  b.source_date_epoch = ctx.epoch;
  b.env = python::build_env_for(ctx.recipe.wheelhouse.build_env, e.key);
  return b;
}

// Builds one sdist in the sandbox; returns the wheel's host path.
std::string build_one(RecipeContext& ctx, const WheelhouseState& st, const python::PlanEntry& e,
                      const SdistBuild& b) {
  std::string tag = fmt::format("{}-{}", e.key, e.version.str());
  std::string sources = ctx.sandbox_dir("sdist-" + tag);
  ctx.stage_copy(st.sources_dir + "/" + e.filename, sources + "/" + e.filename);
  std::string build_dir = ctx.sandbox_dir("build-" + tag);
  std::string out = ctx.sandbox_dir("wheels-" + tag);

  SandboxStep step = ctx.step();
  step.binds.push_back({sources, kSourcesInside, true});
  step.binds.push_back({build_dir, "/build", false});
  step.binds.push_back({out, kWheelsOutInside, false});
  step.env = sdist_build_environment(b);
  step.script = sdist_build_script(b);
  ctx.log(fmt::format("cleanroom: building a wheel for {} {} from {}", e.name, e.version.str(),
                      e.filename));
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc != 0) {
    std::string kept = ctx.out_dir + "/" + wheel_log_name(e);
    // The log directory is bound into the step: the sdist's own code may have
    // replaced its log with a link to a host file.
    with_context(fmt::format("building a wheel for {} {} failed", e.name, e.version.str()), [&] {
      if (path_exists(ctx.log_dir + "/" + wheel_log_name(e)))
        copy_sandbox_file(ctx.log_dir, wheel_log_name(e), kept, kSandboxTextMax);
      else
        write_file_atomic(kept, "");
    });
    std::string log = read_file(kept);
    throw_failure(fmt::format(
        "building a wheel for {} {} from '{}' failed ({}); its log is '{}'{}; it ends:\n{}",
        e.name, e.version.str(), e.filename,
        rc == 124 ? "timed out" : fmt::format("exit {}", rc), kept,
        log_shows_missing_package(log)
            ? "; a header, compiler or library is missing: add its Debian package (e.g. "
              "libfoo-dev) to the recipe's build_packages"
            : "",
        log_tail(log)));
  }
  auto names = python::list_directory(out);
  if (names.size() != 1 || names[0].size() < 4 ||
      names[0].compare(names[0].size() - 4, 4, ".whl") != 0)
    throw_failure(fmt::format("building {} {} left {} files instead of one wheel", e.name,
                              e.version.str(), names.size()));
  return out + "/" + names[0];
}

// One sdist's wheel, normalized: from the store's wheel cache when the same
// inputs built it before, else built now.
struct MadeWheel {
  CachedWheel wheel;
  std::string cache_key;  // "" when the cache is off
  bool from_cache = false;
};

MadeWheel make_wheel(RecipeContext& ctx, const WheelhouseState& st, const python::PlanEntry& e) {
  SdistBuild b = sdist_build_for(ctx, e);
  MadeWheel made;
  if (ctx.wheel_cache) {
    std::string sdist = read_untrusted_file(st.sources_dir, e.filename, kSandboxArchiveMax,
                                            python::kRecipeFile);
    made.cache_key = wheel_cache_key({sha256_hex(sdist), ctx.snapshot.id, ctx.layer.key,
                                      ctx.snapshot.arch, st.facts.python_full_version,
                                      sdist_build_script(b), sdist_build_environment(b)});
    if (auto hit = find_cached_wheel(ctx.store, made.cache_key)) {
      ctx.log(fmt::format("cleanroom: the wheel for {} {} comes from the cache ({})", e.name,
                          e.version.str(), made.cache_key.substr(0, 12)));
      made.wheel = std::move(*hit);
      made.from_cache = true;
      return made;
    }
  }
  std::string built = build_one(ctx, st, e, b);
  std::string name = file_name(built);
  // Read once, checked (the wheel is the sdist's output), normalized in
  // memory: the file in the step's directory is never opened again.
  std::string bytes = read_sandbox_file(parent_dir(built), name, kSandboxArchiveMax);
  made.wheel = {name, formats::normalize_wheel(bytes, "'" + built + "'", ctx.epoch)};
  return made;
}

// Whether an sdist holds C, C++ or Cython sources. Those build longest: they
// start first, so that a round does not end on one long compile alone.
bool compiles_code(const WheelhouseState& st, const python::PlanEntry& e) {
  bool found = false;
  try {
    std::string sdist = read_untrusted_file(st.sources_dir, e.filename, kSandboxArchiveMax,
                                            python::kRecipeFile);
    formats::read_tar_memory(sdist, e.filename, [&](const formats::TarEntry& entry, const auto&) {
      for (const char* suffix : {".c", ".cc", ".cpp", ".cxx", ".pyx"})
        found = found || entry.path.ends_with(suffix);
    });
  } catch (const Error&) {
    // Not a tar (a zip sdist) or not readable here: the build itself will say.
  }
  return found;
}

// The order builds start in: compiled code first, each group in plan order.
std::vector<std::size_t> start_order(const WheelhouseState& st,
                                     const std::vector<const python::PlanEntry*>& sdists) {
  std::vector<std::size_t> first, rest;
  for (std::size_t i = 0; i < sdists.size(); ++i)
    (compiles_code(st, *sdists[i]) ? first : rest).push_back(i);
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

// The round's wheels in plan order, ctx.wheel_jobs sdists at a time (the
// order they start in does not change the bytes: they are added in plan
// order). After a failure no new build starts; once the running ones end, the
// first failure in plan order is thrown.
std::vector<MadeWheel> make_wheels(RecipeContext& ctx, const WheelhouseState& st,
                                   const std::vector<const python::PlanEntry*>& sdists) {
  std::vector<MadeWheel> made(sdists.size());
  std::vector<std::exception_ptr> errors(sdists.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex progress_lock;
  Progress progress("build wheels", sdists.size(), "");
  const std::vector<std::size_t> order =
      ctx.wheel_jobs > 1 ? start_order(st, sdists) : std::vector<std::size_t>{};
  auto worker = [&] {
    for (std::size_t n; !failed && (n = next++) < sdists.size();) {
      std::size_t i = order.empty() ? n : order[n];
      try {
        made[i] = make_wheel(ctx, st, *sdists[i]);
        std::lock_guard<std::mutex> hold(progress_lock);
        progress.advance(1, made[i].wheel.name);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    std::size_t threads = std::min<std::size_t>(ctx.wheel_jobs, sdists.size());
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
    worker();
  }
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
  return made;
}

void build_wheels(RecipeContext& ctx, WheelhouseState& st, StepRunner& steps) {
  // An sdist's dependencies are known only once it is built: build what the
  // plan needs, add the wheels with their metadata, resolve again.
  std::size_t cached = 0;
  for (;;) {
    auto sdists = st.plan.sdists();
    if (sdists.empty()) break;
    for (const python::PlanEntry* e : sdists)
      if (!st.built.insert(e->filename).second)
        throw_failure(fmt::format("the wheel built from '{}' does not fit the target (Python "
                                  "{}, {}); the resolver still wants the sdist",
                                  e->filename, st.facts.python_full_version, ctx.snapshot.arch));
    std::vector<MadeWheel> made = make_wheels(ctx, st, sdists);
    for (std::size_t i = 0; i < sdists.size(); ++i) {
      const python::PlanEntry* e = sdists[i];
      const CachedWheel& w = made[i].wheel;
      std::string target = st.wheel_dir + "/" + w.name;
      write_file_atomic(target, w.bytes);
      WheelFacts facts = read_wheel_facts(target);
      python::Distribution d = wheel_distribution(facts);
      if (d.key != e->key || d.version != e->version)
        throw_failure(fmt::format("'{}' built '{}', which is not {} {}", e->filename, w.name,
                                  e->name, e->version.str()));
      if (made[i].from_cache)
        ++cached;
      else if (!made[i].cache_key.empty())
        store_cached_wheel(ctx.store, made[i].cache_key, w);
      st.wheels[w.name] = std::move(facts);
      st.input.available.push_back(std::move(d));
    }
    resolve(ctx, st);
  }
  // Wheels that came ready-made from the sources are shipped as they are:
  // their bytes, and so their published hashes, stay the upstream ones.
  std::size_t copied = 0;
  for (const python::PlanEntry* e : st.plan.wheels()) {
    std::string target = st.wheel_dir + "/" + e->filename;
    if (path_exists(target)) continue;
    write_file_atomic(target, read_untrusted_file(st.sources_dir, e->filename, kSandboxArchiveMax,
                                                  python::kRecipeFile));
    ++copied;
  }
  steps.note(fmt::format("{} built, {} of them from the cache, {} from sources", st.built.size(),
                         cached, copied));
}

void check_wheels(const RecipeContext& ctx, const WheelhouseState& st) {
  python::Diagnostics diag;
  for (const python::PlanEntry* e : st.plan.wheels()) {
    const WheelFacts& facts = st.wheels.at(e->filename);
    if (auto problem = python::pure_fallback_problem(
            facts.name, facts.members, ctx.recipe.wheelhouse.allow_pure_fallback)) {
      ctx.log("cleanroom: check: " + *problem);
      diag.add(*problem);
    }
  }
  diag.throw_if_any(ErrorKind::Failure);
}

// Every wheel the lock lists, as the copyright file and the SBOM name it.
python::BundleFacts wheelhouse_bundle(const RecipeContext& ctx, const WheelhouseState& st,
                                      const python::WheelhouseLock& lock) {
  const std::string& install = ctx.recipe.wheelhouse.install_path;
  python::BundleFacts facts = bundle_facts(ctx, python::BundleKind::Wheelhouse, install);
  for (const auto& e : lock.entries) {
    auto known = st.wheels.find(e.filename);
    WheelFacts wheel = known != st.wheels.end() ? known->second
                                                : read_wheel_facts(st.wheel_dir + "/" + e.filename);
    facts.bundled.push_back(shipped_wheel(wheel, e.sha256, install.substr(1) + "/" + e.filename));
  }
  std::sort(facts.bundled.begin(), facts.bundled.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return facts;
}

}  // namespace

std::vector<std::string> run_wheelhouse_steps(RecipeContext& ctx, StepRunner& steps) {
  WheelhouseState st;
  st.root = ctx.work.path() + "/root";
  st.wheel_dir = st.root + ctx.recipe.wheelhouse.install_path;
  make_dirs(st.wheel_dir);

  steps.run("inspect", [&] { st.facts = probe_target(ctx); });
  steps.run("prepare", [&] {
    std::vector<std::string> packages = kWheelBuildPackages;
    for (const auto& p : ctx.recipe.build_packages) packages.push_back(p);
    prepare_packages(ctx, steps, packages);
  });
  steps.run("resolve", [&] {
    read_inputs(ctx, st);
    resolve(ctx, st);
    steps.note(fmt::format("{} distributions, {} sdists to build", st.plan.entries.size(),
                           st.plan.sdists().size()));
  });
  steps.run("wheels", [&] { build_wheels(ctx, st, steps); });
  steps.run("check", [&] { check_wheels(ctx, st); });
  python::WheelhouseLock lock;
  steps.run("lock", [&] {
    lock = python::lock_directory(st.wheel_dir);
    python::write_lock(st.wheel_dir + "/" + python::kLockFileName, lock);
    python::write_simple_index(st.wheel_dir, lock);
    ctx.log(fmt::format("cleanroom: {} sha256 {}", python::kLockFileName,
                        sha256_file(st.wheel_dir + "/" + python::kLockFileName)));
  });
  CollectedPackage deb;
  std::string sbom;
  steps.run("package", [&] {
    python::BundleFacts bundle = wheelhouse_bundle(ctx, st, lock);
    sbom = write_bundle_files(ctx, steps, bundle, st.root);
    deb = pack_recipe_deb(ctx, st.root, ctx.work.path() + "/control", {},
                          python::extended_description(bundle, ctx.recipe.long_description));
  });
  if (ctx.run_lintian)
    steps.run("lintian", [&] { lintian_step(ctx, steps, deb.name); });
  else
    steps.skip("lintian", "--no-run-lintian");
  std::vector<std::string> outputs;
  steps.run("record", [&] {
    std::string lock_hash = sha256_file(st.wheel_dir + "/" + python::kLockFileName);
    outputs = write_recipe_records(ctx, {deb}, lock_hash);
  });
  outputs.insert(outputs.begin(), deb.path);
  outputs.push_back(sbom);
  return outputs;
}

}  // namespace cleanroom::build
