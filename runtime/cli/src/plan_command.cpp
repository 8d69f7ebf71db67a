#include <unistd.h>

#include <cstdio>

#include "cleanroom/base/join.h"
#include "cleanroom/release/plan.h"
#include "batch_output.h"
#include "command.h"

namespace cleanroom::cli {

namespace {
struct PlanArgs {
  build::PlanOptions options;
  std::string format = "text";
  bool json = false;
  bool run = false;
  bool no_lintian = false;
  unsigned jobs = 1;
};

int run_plan_command(const GlobalOptions& global, PlanArgs& a) {
  a.options.store_path = global.store;
  a.options.build.run_lintian = !a.no_lintian;
  build::Plan plan = build::make_plan(a.options);
  if (!a.run) {
    if (a.json || a.format == "json") {
      std::printf("%s\n", build::plan_to_json(plan).c_str());
    } else {
      for (const auto& n : plan.nodes) {
        std::printf("%s (%s) inputs %s\n", n.id.c_str(), n.kind.c_str(), n.input_hash.substr(0, 12).c_str());
        for (const auto& d : n.depends_on) std::printf("  after %s\n", d.c_str());
        std::printf("  %s\n", join(n.command, " ").c_str());
      }
    }
    return 0;
  }
  bool json = a.json || a.format == "json";
  auto reports =
      build::run_plan(plan, {a.jobs, global.quiet > 0 || json, self_executable(), global.store});
  if (json)
    std::printf("%s\n", build::batch_to_json(plan, reports).c_str());
  else
    print_batch(plan, reports, global.quiet > 0);
  return build::batch_succeeded(reports) ? 0 : 1;
}
}  // namespace

static void configure_plan_command(CLI::App& command, CommandContext& ctx) {
  auto a = std::make_shared<PlanArgs>();
  CLI::App* cmd = &command;
  cmd->add_option("recipes", a->options.sources, "Recipe files or directories of recipes")
      ->required();
  cmd->add_option("--out", a->options.out_dir, "Output directory of the builds (default: the root)");
  cmd->add_option("--root", a->options.root,
                  "The directory node commands run in; recipe and output paths beneath it are "
                  "written relative to it, so a worker runs them in its own checkout "
                  "(default: .)");
  cmd->add_flag("--json", a->json,
                "Print the plan as JSON (docs/plan.schema.json); with --run, the batch's results "
                "instead, as `build DIR --json` does");
  cmd->add_option("--format", a->format, "text or json (--json is the same as --format json)")
      ->check(CLI::IsMember({"text", "json"}));
  auto& b = a->options.build;
  cmd->add_option("-d,--dist,--snapshot", b.snapshot,
                  "Snapshot name or id every recipe builds in instead of its own (as build -d)");
  cmd->add_option("--arch", b.arch, "Build for this architecture (as build --arch)");
  cmd->add_flag("--offline", b.offline,
                "Fail instead of using the network when no cached dependency layer fits");
  cmd->add_option("--timeout", b.timeout_seconds, "Stop each node's build after this many seconds");
  cmd->add_flag("--no-run-lintian", a->no_lintian,
                "Build nodes run no lintian on their results (as build --no-run-lintian)");
  cmd->add_flag("--verify", a->options.verify,
                "Add a verify node after each build node: `cleanroom verify` of the same recipe, "
                "which fails unless two builds under variations are bit-identical");
  cmd->add_flag("--run", a->run, "Build the plan now");
  cmd->add_option("-j,--jobs", a->jobs, "Builds run at once with --run")->capture_default_str();
  cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_plan_command(ctx.global, *a); }; });
}

const Command kPlanCommand{
    "plan",
    "The build DAG of a set of recipes (wheelhouses before the venvs that use them), with\n"
    "each node's command, input hash and outputs; --run builds it locally, reusing results\n"
    "whose inputs did not change and running independent builds in parallel.",
    configure_plan_command};

}  // namespace cleanroom::cli
