// `cleanroom verify SOURCE`: two builds, the second under variations; exit 0
// only when every binary package is bit-identical.
// Exit codes: 0 reproducible, 1 different or a build failed, 2 bad input.
#include <cstdio>

#include "cleanroom/base/error.h"
#include "cleanroom/verify/verify.h"
#include "command.h"

namespace cleanroom::cli {

namespace {

struct VerifyArgs {
  build::VerifyOptions options;
  std::vector<std::string> vary;
  bool json = false, sequential = false, lintian = false;
};

int run_verify(const GlobalOptions& global, VerifyArgs& args) {
  auto& o = args.options;
  o.build.store_path = global.store;
  o.build.run_lintian = args.lintian;
  o.variations = build::parse_variation_specs(args.vary);
  o.allow_parallel = !args.sequential;
  build::VerifyResult result = build::verify_source(o);
  if (args.json)
    std::printf("%s\n", build::verify_result_to_json(result).c_str());
  else if (global.quiet == 0 || !result.reproducible())  // -q: only a failure speaks
    std::fputs(build::format_verify_report(result).c_str(), stdout);
  std::fflush(stdout);
  return result.reproducible() ? 0 : 1;
}

}  // namespace

static void configure_verify_command(CLI::App& command, CommandContext& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  auto& o = args->options;
  CLI::App* cmd = &command;
  cmd->footer(
      "Variations use reprotest's names: environment, build_path, user_group, home, kernel, aslr,\n"
      "num_cpus, time, timezone, locales, umask, domain_host, fileordering. Every one is on by\n"
      "default; --vary=-time,-umask turns some off, --vary=-all,+time only one on.\n"
      "Exit status: 0 every package identical, 1 a difference or a failed build, 2 bad input.");
  cmd->add_option("source", o.build.source,
                  "A .dsc with its files beside it, a source tree, or a recipe .toml")
      ->required();
  cmd->add_option("--vary", args->vary, "Variations, reprotest-style: -NAME, +NAME, all, none")
      ->allow_extra_args(false);
  cmd->add_flag("--bisect", o.bisect,
                "When the builds differ, rebuild with one variation at a time to name the cause");
  cmd->add_option("-d,--dist,--snapshot", o.build.snapshot,
                  "Snapshot name or id (default: as cleanroom build)");
  cmd->add_option("--arch", o.build.arch,
                  "Build for this architecture, in the snapshot NAME-ARCH unless NAME is of it "
                  "(as cleanroom build --arch)");
  cmd->add_option("--keep", o.keep_dir,
                  "Keep both builds' outputs in DIR/first, DIR/varied (and DIR/bisect-*)");
  cmd->add_flag("--sequential", args->sequential, "Never run two builds at once");
  cmd->add_flag("--run-lintian", args->lintian, "Run lintian in both builds (off by default)");
  cmd->add_flag("--offline", o.build.offline,
                "Fail instead of using the network when no cached dependency layer fits");
  cmd->add_option("--extra-package", o.build.extra_packages, "A local .deb to install before building")
      ->check(CLI::ExistingFile);
  cmd->add_option("--wheelhouse", o.build.wheelhouse,
                  "A wheelhouse (directory or .deb) for a venv recipe or a dh-virtualenv source");
  cmd->add_option("--timeout", o.build.timeout_seconds, "Kill a step after this many seconds");
  cmd->add_option("--max-report", o.diff.max_report,
                  "List at most N differences per package (0: all)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the result as JSON on stdout");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_verify(ctx.global, *args); }; });
}

const Command kVerifyCommand{
    "verify",
    "Build a source twice, the second time under variations (time, timezone, locales, umask,\n"
    "host name, user, HOME, CPU count, file order, kernel version, ASLR, build path,\n"
    "environment), and compare every binary package byte for byte.",
    configure_verify_command};

}  // namespace cleanroom::cli
