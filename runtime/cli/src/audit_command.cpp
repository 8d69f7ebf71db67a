// `cleanroom audit SHIPPED.deb`: rebuild from the recorded inputs and compare;
// with --source and no .buildinfo, from the source alone (unpinned).
// Exit codes: 0 reproduced, 1 not reproduced or the rebuild failed, 2 a
// missing input (the message says what to fetch or import).
#include <cstdio>

#include "cleanroom/base/error.h"
#include "cleanroom/verify/archive_audit.h"
#include "cleanroom/verify/audit.h"
#include "command.h"

namespace cleanroom::cli {

namespace {

struct AuditArgs {
  build::AuditOptions options;
  std::vector<std::string> from_archive;  // SOURCE=VERSION, or files of such lines
  std::string downloads;
  bool json = false;
};

int run_archive_audit(const GlobalOptions& global, AuditArgs& args) {
  build::ArchiveAuditOptions o;
  o.store_path = global.store;
  o.snapshot = args.options.snapshot;
  o.downloads_dir = args.downloads;
  o.keep_dir = args.options.keep_dir;
  o.diff = args.options.diff;
  o.quiet = global.verbose == 0 || args.json;
  for (const auto& item : args.from_archive) {
    if (item.find('=') != std::string::npos) {
      o.requests.push_back(build::parse_archive_request(item, "--from-archive"));
    } else {
      auto listed = build::read_archive_requests(item);
      o.requests.insert(o.requests.end(), listed.begin(), listed.end());
    }
  }
  o.progress = [](std::size_t i, std::size_t n, const build::ArchiveRequest& r) {
    std::fprintf(stderr, "[%zu/%zu] %s %s\n", i + 1, n, r.source.c_str(), r.version.c_str());
  };
  build::ArchiveAuditResult result = build::audit_from_archive(o);
  if (args.json)
    std::printf("%s\n", build::archive_audit_to_json(result).c_str());
  else
    std::fputs(build::format_archive_audit_table(result).c_str(), stdout);
  std::fflush(stdout);
  return result.all_reproduced() ? 0 : 1;
}

int run_audit(const GlobalOptions& global, AuditArgs& args) {
  if (!args.from_archive.empty()) {
    if (!args.options.deb.empty() || !args.options.buildinfo.empty() ||
        !args.options.source.empty() || !args.options.wheelhouse.empty())
      throw_input("--from-archive fetches what it audits: give no .deb, --buildinfo, --source "
                  "or --wheelhouse with it");
    return run_archive_audit(global, args);
  }
  if (args.options.deb.empty())
    throw_input("audit needs the shipped .deb to audit, or --from-archive SOURCE=VERSION...");
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

static void configure_audit_command(CLI::App& command, CommandContext& ctx) {
  auto args = std::make_shared<AuditArgs>();
  auto& o = args->options;
  CLI::App* cmd = &command;
  cmd->footer("Exit status: 0 reproduced (with --from-archive: every source), 1 not reproduced "
              "or the rebuild failed, 2 a missing input (\"source not available\" for a .dsc "
              "whose files are not beside it).");
  cmd->add_option("deb", o.deb, "The shipped .deb");
  cmd->add_option("--from-archive", args->from_archive,
                  "Audit Debian's archive: SOURCE=VERSION (or a file of such lines) fetched "
                  "with apt in the sandbox, source and official binaries, each rebuilt in the "
                  "snapshot and every binary compared; prints a table (or --json)")
      ->expected(1, -1);
  cmd->add_option("--downloads", args->downloads,
                  "With --from-archive: keep what it fetches in DIR/SOURCE_VERSION/ and reuse it "
                  "next time (apt checks it against the mirror's indexes)");
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
  cmd->add_option("--keep", o.keep_dir,
                  "Keep the rebuild's outputs in DIR/rebuild (with --from-archive: "
                  "DIR/SOURCE_VERSION/VERSION/rebuild, and the fetch step's log in DIR)");
  cmd->add_flag("--offline", o.offline, "Fail instead of using the network for build dependencies");
  cmd->add_option("--max-report", o.diff.max_report, "List at most N differences (0: all)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the result as JSON on stdout");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_audit(ctx.global, *args); }; });
}

const Command kAuditCommand{
    "audit",
    "Rebuild a shipped .deb from the inputs its .buildinfo records (source or recipe,\n"
    "snapshot id, wheelhouse, SOURCE_DATE_EPOCH) and compare the rebuild with it byte for byte.\n"
    "Without a .buildinfo, --source DSC rebuilds in the snapshot (-d) at the changelog's\n"
    "SOURCE_DATE_EPOCH; the report says the build environment was not pinned.\n"
    "--from-archive SOURCE=VERSION... fetches sources and binaries from the snapshot's\n"
    "mirror and audits them in batch: reproduced, differs (with its cause), failed, or\n"
    "source not available.",
    configure_audit_command};

}  // namespace cleanroom::cli
