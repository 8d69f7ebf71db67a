// `cleanroom build`: parses sbuild-like options into DebianBuildOptions (or
// RecipeBuildOptions, refusing the options only a Debian source has), runs
// the pipeline, prints the step table (or JSON) and maps the outcome to an exit code.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/package/debian_build.h"
#include "cleanroom/release/plan.h"
#include "cleanroom/package/python_build.h"
#include "batch_output.h"
#include "command.h"

namespace cleanroom::cli {

namespace {
struct BuildArgs {
  build::DebianBuildOptions options;
  std::vector<std::string> sources;
  bool arch_all = false, arch_any = false, binary = false, no_lintian = false, json = false;
  bool no_wheel_cache = false;
  const CLI::Option* jobs_option = nullptr;
  std::vector<const CLI::Option*> debian_only;  // options a recipe build cannot honour
};

// A recipe build given an option only a Debian source build has is an input
// error naming it: dropping it silently would build something else than asked.
void refuse_debian_only_options(const BuildArgs& args) {
  for (const CLI::Option* opt : args.debian_only) {
    if (opt->count() == 0) continue;
    std::string fix = opt->check_lname("jobs")
                          ? "; to run several recipe builds at once use `cleanroom plan DIR --out "
                            "OUT --run -j N`"
                          : "; drop it";
    throw_input(fmt::format("{} applies to Debian source builds only, not to recipes{}",
                            opt->get_name(), fix));
  }
}

// -q: the result paths on stdout, and on failure the error and its log.
void print_result(const build::BuildResult& result, bool json, bool quiet) {
  if (json) {
    std::printf("%s\n", build::build_result_to_json(result).c_str());
    return;
  }
  if (!quiet) std::fprintf(stderr, "\n%s", build::format_step_table(result.steps).c_str());
  for (const auto& a : result.artifacts) std::printf("%s\n", a.c_str());
  if (!quiet || !result.ok) std::fprintf(stderr, "log: %s\n", result.log_path.c_str());
  if (!result.kept_build_dir.empty())
    std::fprintf(stderr, "build directory kept: %s\n", result.kept_build_dir.c_str());
  if (!result.ok)
    std::fprintf(stderr, "cleanroom: error: step %s failed: %s\n", result.failed_step.c_str(),
                 result.error.c_str());
}

// Several recipes (or a directory of them): the plan's batch runner, so results
// whose inputs did not change are reused and independent builds run in parallel.
int run_recipe_batch(const GlobalOptions& global, const BuildArgs& args) {
  const auto& o = args.options;
  build::PlanOptions p;
  p.sources = args.sources;
  p.out_dir = o.out_dir;
  p.store_path = global.store;
  p.build = {o.snapshot, o.arch, o.offline, o.timeout_seconds, !args.no_lintian};
  build::Plan plan = build::make_plan(p);
  auto reports =
      build::run_plan(plan, {1u, global.quiet > 0 || args.json, self_executable(), global.store});
  if (args.json)
    std::printf("%s\n", build::batch_to_json(plan, reports).c_str());
  else
    print_batch(plan, reports, global.quiet > 0);
  return build::batch_succeeded(reports) ? 0 : 1;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int run_recipes(const GlobalOptions& global, const BuildArgs& args) {
  refuse_debian_only_options(args);
  const auto& o = args.options;
  if (o.wheelhouse.empty() && (args.sources.size() > 1 || is_directory(args.sources.front()))) {
    if (args.jobs_option->count() > 0)
      throw_input("-j applies to one recipe's build; to run several recipe builds at once use "
                  "`cleanroom plan DIR --out OUT --run -j N`");
    return run_recipe_batch(global, args);
  }
  build::RecipeBuildOptions r;
  static_cast<build::JobOptions&>(r) = o;
  r.store_path = global.store;
  r.recipes = args.sources;
  r.quiet = global.quiet > 0 || args.json;
  r.wheel_jobs = o.jobs;
  r.wheel_cache = !args.no_wheel_cache;
  r.run_lintian = !args.no_lintian;
  int code = 0;
  for (const auto& result : build::build_recipes(r)) {
    print_result(result, args.json, global.quiet > 0);
    code = std::max(code, build::build_exit_code(result));
  }
  return code;
}

int run_build(const GlobalOptions& global, BuildArgs& args) {
  set_deadline_seconds(args.options.timeout_seconds);
  if (args.sources.empty()) args.sources = {"."};
  bool recipes = true;
  for (const auto& s : args.sources) recipes = recipes && build::is_recipe_source(s);
  if (recipes) return run_recipes(global, args);
  if (args.sources.size() != 1)
    throw_input("give one Debian source (.dsc or tree), or one or more recipe .toml files");
  auto& o = args.options;
  o.source = args.sources.front();
  o.store_path = global.store;
  if (args.arch_all + args.arch_any + args.binary > 1)
    throw_input("-A, -B and -b exclude each other");
  if (args.arch_all) o.selection = build::BuildSelection::ArchAll;
  if (args.arch_any) o.selection = build::BuildSelection::ArchAny;
  o.run_lintian = !args.no_lintian;
  if (global.quiet > 0 || args.json) o.quiet = true;
  build::BuildResult result = build::build_debian_source(o);
  print_result(result, args.json, global.quiet > 0);
  return build::build_exit_code(result);
}
}  // namespace

static void configure_build_command(CLI::App& command, CommandContext& ctx) {
  auto args = std::make_shared<BuildArgs>();
  auto& o = args->options;
  CLI::App* cmd = &command;
  cmd->add_option("source", args->sources,
                  "A .dsc with its files beside it, a source tree, or recipe .toml files or "
                  "directories of them (wheelhouse and venv; wheelhouses build first); "
                  "default: the current directory, like dpkg-buildpackage");
  cmd->add_option("-d,--dist,--snapshot", o.snapshot,
                  "Snapshot name or id (default: the changelog's distribution if such a snapshot "
                  "exists, else bookworm)");
  cmd->add_option("--arch", o.arch,
                  "Build for this architecture, like sbuild's --arch: in the snapshot NAME-ARCH "
                  "unless NAME is of it (i386 on amd64; see snapshot create --arch)");
  cmd->add_option("--out", o.out_dir, "Where results go (default: the source's parent directory)");
  auto& debian_only = args->debian_only;
  debian_only.push_back(cmd->add_flag("-A,--arch-all", args->arch_all,
                                      "Build only architecture-independent packages"));
  debian_only.push_back(cmd->add_flag("-B,--arch-any", args->arch_any,
                                      "Build only architecture-dependent packages"));
  debian_only.push_back(cmd->add_flag("-b", args->binary, "Build all binary packages (the default)"));
  debian_only.push_back(
      cmd->add_option("--extra-package", o.extra_packages, "A local .deb to install before building")
          ->check(CLI::ExistingFile));
  debian_only.push_back(
      cmd->add_option("--extra-repository", o.extra_repositories,
                      "An apt sources line added while installing build dependencies"));
  cmd->add_option("--wheelhouse", o.wheelhouse,
                  "Directory of wheels, or a wheelhouse .deb, mounted read-only; pip is pointed "
                  "at it (PIP_NO_INDEX, PIP_FIND_LINKS)")
      ->check(CLI::ExistingPath);
  cmd->add_flag("--offline", o.offline,
                "Fail instead of using the network when no cached dependency layer fits");
  cmd->add_flag("--no-run-lintian", args->no_lintian, "Do not run lintian on the results");
  args->jobs_option = cmd->add_option(
      "-j,--jobs", o.jobs,
      "Parallel jobs inside a build (default: CPUs): as dpkg-buildpackage -j for a Debian "
      "source, sdists built at once for a wheelhouse recipe. `cleanroom plan DIR --run -j N` "
      "runs N recipe builds at once");
  cmd->add_flag("--no-wheel-cache", args->no_wheel_cache,
                "Build every wheel of a wheelhouse again instead of reusing those the store's "
                "wheel cache holds from the same inputs");
  cmd->add_flag("--keep-build-dir", o.keep_build_dir, "Keep the build directory for debugging");
  debian_only.push_back(
      cmd->add_flag("--shell-on-failure", o.shell_on_failure,
                    "Open a shell in the build tree (in the sandbox) when the build fails"));
  cmd->add_option("--timeout", o.timeout_seconds,
                  "Stop the build after this many seconds, its sandbox steps and the host-side "
                  "work on what they made alike (exit 1)");
  cmd->add_flag("--json", args->json, "Print the result as JSON on stdout");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_build(ctx.global, *args); }; });
}

const Command kBuildCommand{
    "build",
    "Build a Debian source package (.dsc or unpacked tree) in a clean snapshot, like sbuild:\n"
    "unpack, install Build-Depends into a cached layer (the only step with network), build\n"
    "offline as an unprivileged user, normalize the .debs, write .changes/.buildinfo/.build.\n"
    "Recipe .toml files build a Python wheelhouse or venv .deb instead (docs/python.md).",
    configure_build_command};

}  // namespace cleanroom::cli
