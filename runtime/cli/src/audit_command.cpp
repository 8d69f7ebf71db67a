// `cleanroom audit SHIPPED.deb`: rebuild from the recorded inputs and compare;
// with --source and no .buildinfo, from the source alone (unpinned).
// Exit codes: 0 reproduced, 1 not reproduced or the rebuild failed, 2 a
// missing input (the message says what to fetch or import).
#include <cstdio>

#include "cleanroom/base/error.h"
#include "cleanroom/verify/audit.h"
#include "command.h"

namespace cleanroom::cli {

namespace {

struct AuditArgs {
  build::AuditOptions options;
  bool json = false;
};

int run_audit(const GlobalOptions& global, AuditArgs& args) {
  args.options.store_path = global.store;
  if (global.verbose > 0 && !args.json) args.options.quiet = false;
  build::AuditResult result = build::audit_package(args.options);
  if (args.json)
    std::printf("%s\n", build::audit_result_to_json(result).c_str());
  else if (global.quiet == 0 || !result.reproduced())  // -q: only a failure speaks
    std::fputs(build::format_audit_report(result).c_str(), stdout);
  std::fflush(stdout);
  return result.reproduced() ? 0 : 1;
}

}  // namespace

void add_audit_command(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<AuditArgs>();
  auto& o = args->options;
  auto* cmd = app.add_subcommand(
      "audit",
      "Rebuild a shipped .deb from the inputs its .buildinfo records (source or recipe,\n"
      "snapshot id, wheelhouse, SOURCE_DATE_EPOCH) and compare the rebuild with it byte for byte.\n"
      "Without a .buildinfo, --source DSC rebuilds in the snapshot (-d) at the changelog's\n"
      "SOURCE_DATE_EPOCH; the report says the build environment was not pinned.");
  cmd->footer("Exit status: 0 reproduced, 1 not reproduced or the rebuild failed, 2 a missing "
              "input (\"source not available\" for a .dsc whose files are not beside it).");
  cmd->add_option("deb", o.deb, "The shipped .deb")->required();
  cmd->add_option("--buildinfo", o.buildinfo,
                  "Its .buildinfo (default: the one beside it that lists it)");
  cmd->add_option("--source", o.source,
                  "Its source .dsc or tree (default: the .dsc beside it), or the recipe .toml "
                  "it was built from");
  cmd->add_option("--wheelhouse", o.wheelhouse,
                  "The wheelhouse (directory or .deb) a venv or dh-virtualenv package was built "
                  "with");
  cmd->add_option("-d,--dist,--snapshot", o.snapshot,
                  "Snapshot for a .buildinfo that records none, or for a .deb without one "
                  "(default: bookworm)");
  cmd->add_option("--keep", o.keep_dir, "Keep the rebuild's outputs in DIR/rebuild");
  cmd->add_flag("--offline", o.offline, "Fail instead of using the network for build dependencies");
  cmd->add_option("--max-report", o.diff.max_report, "List at most N differences (0: all)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the result as JSON on stdout");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_audit(ctx.global, *args); }; });
}

}  // namespace cleanroom::cli
