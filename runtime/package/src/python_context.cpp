#include "python_context.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/pipeline/prepare_layer.h"

namespace cleanroom::build {

RecipeContext::RecipeContext(const RecipeBuildOptions& o, const python::Recipe& r,
                             store::Store s, const std::string& snapshot_name)
    : BuildJob(o, std::move(s), snapshot_name), recipe(r) {
  if (r.source_date_epoch) epoch = *r.source_date_epoch;
  arch = r.architecture.empty() || r.architecture == "any" ? snapshot.arch : r.architecture;
  version_no_epoch = r.version.substr(r.version.find(':') + 1);
  wheel_jobs = o.wheel_jobs > 0 ? o.wheel_jobs : std::max(1u, std::thread::hardware_concurrency());
  // A varied build must build every wheel under its variations.
  wheel_cache = o.wheel_cache && o.variation.empty();
  run_lintian = o.run_lintian;
}

SandboxStep RecipeContext::step() const {
  SandboxStep s = BuildJob::step();
  s.source_date_epoch = epoch;
  if (!layer.upper_dir.empty()) s.variation = options.variation;
  return s;
}

std::string RecipeContext::stem() const {
  return fmt::format("{}_{}_{}", recipe.name, version_no_epoch, arch);
}

TargetFacts probe_target(const RecipeContext& ctx) {
  std::string out = ctx.sandbox_dir("probe");
  SandboxStep step = ctx.step();
  step.binds.push_back({out, "/cleanroom/out", false});
  step.script = fmt::format(
      "{} -c 'import platform; print(platform.python_version())' > /cleanroom/out/python\n"
      "dpkg-query -W -f '${{Version}}\\n' libc6 > /cleanroom/out/libc6\n",
      shell_quote(ctx.recipe.python));
  step.quiet = true;
  int rc = run_sandbox_step(ctx.ids, step);
  if (rc != 0) {
    const std::string& name =
        ctx.snapshot.names.empty() ? ctx.snapshot.id : ctx.snapshot.names[0];
    throw_input(fmt::format("snapshot {} has no usable interpreter '{}' (exit {}); create the "
                            "snapshot with python3 in it ('cleanroom snapshot create {} --name {} "
                            "--force --include python3,python3-venv', as scripts/setup does) or "
                            "fix the recipe's python",
                            name, ctx.recipe.python, rc, ctx.snapshot.suite, name));
  }
  auto first_line = [](const std::string& text) { return text.substr(0, text.find('\n')); };
  TargetFacts facts;
  facts.python_full_version = first_line(read_sandbox_file(out, "python", kSandboxTextMax));
  std::string libc = first_line(read_sandbox_file(out, "libc6", kSandboxTextMax));
  // "2.36-9+deb12u4": the upstream part is what manylinux tags speak of.
  facts.glibc_version = libc.substr(0, libc.find('-'));
  unsigned major = 0, minor = 0;
  if (std::sscanf(facts.python_full_version.c_str(), "%u.%u", &major, &minor) != 2)
    throw_failure(fmt::format("'{}' reports version '{}', which is not a Python version",
                              ctx.recipe.python, facts.python_full_version));
  facts.python_major = major;
  facts.python_minor = minor;
  ctx.log(fmt::format("cleanroom: target: Python {}, glibc {}, {}", facts.python_full_version,
                      facts.glibc_version, ctx.snapshot.arch));
  return facts;
}

void prepare_packages(RecipeContext& ctx, StepRunner& steps,
                      const std::vector<std::string>& packages) {
  std::vector<std::string> all = packages;
  all.insert(all.end(), ctx.options.extra_build_packages.begin(),
             ctx.options.extra_build_packages.end());
  std::string joined = join(all, ", ");
  auto deps = formats::parse_dependencies(joined, "build_packages", ctx.recipe.file);
  PrepareRequest request;
  request.dependencies =
      formats::evaluate_build_dependencies(deps, ctx.snapshot.arch, {}).to_string();
  ctx.prepare(steps, request, request.dependencies);
}

std::vector<std::string> write_recipe_records(const RecipeContext& ctx,
                                              const std::vector<CollectedPackage>& packages,
                                              const std::string& wheelhouse_hash) {
  const auto& r = ctx.recipe;
  formats::ChangelogEntry entry;
  entry.header = fmt::format("{} ({}) {}; urgency=medium", r.name, r.version, ctx.snapshot.suite);
  entry.changes = {fmt::format("  * Built by cleanroom from the {} recipe {} (sha256 {}).",
                               python::recipe_kind_name(r.kind), file_name(r.file),
                               ctx.recipe_hash)};
  RecordRequest request;
  request.source.source = r.name;
  request.source.version = r.version;
  request.source.version_no_epoch = ctx.version_no_epoch;
  request.source.distributions = {ctx.snapshot.suite};
  request.source.urgency = "medium";
  request.source.maintainer = r.maintainer;
  request.source.date = formats::format_rfc2822_date(ctx.epoch);
  request.source.changes = formats::changes_lines(entry);
  request.source.source_date_epoch = ctx.epoch;
  request.source.section = packages.front().section;
  request.source.priority = packages.front().priority;
  request.arch = ctx.snapshot.arch;
  request.changes_arch = ctx.arch;
  request.architectures = {ctx.arch};
  request.installed_build_depends = ctx.layer.packages;
  request.snapshot_id = ctx.snapshot.id;
  request.wheelhouse_hash = wheelhouse_hash;
  request.recipe_hash = ctx.recipe_hash;
  request.environment = {{"LANG", "C.UTF-8"},
                         {"LC_ALL", "C.UTF-8"},
                         {"SOURCE_DATE_EPOCH", std::to_string(ctx.epoch)},
                         {"TZ", "UTC"}};
  if (r.kind == python::RecipeKind::Wheelhouse)
    for (auto& variable : python::build_env_record(r.wheelhouse.build_env))
      request.environment.push_back(std::move(variable));
  return write_records(packages, request, ctx.staging_dir);
}

}  // namespace cleanroom::build
