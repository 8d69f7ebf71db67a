#include <cstdio>

#include "cleanroom/release/install_test.h"
#include "command.h"

namespace cleanroom::cli {

static void configure_test_command(CLI::App& command, CommandContext& ctx) {
  auto o = std::make_shared<build::InstallTestOptions>();
  auto json = std::make_shared<bool>(false);
  auto offline = std::make_shared<bool>(false);
  CLI::App* cmd = &command;
  cmd->add_option("debs", o->debs, ".deb files to install together")->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-d,--dist,--snapshot", o->snapshot,
                  "Snapshot name or id; packages of another architecture (i386 on amd64) "
                  "install in NAME-ARCH")
      ->capture_default_str();
  cmd->add_option("--run", o->commands, "A smoke command (sh -c), may be repeated");
  cmd->add_option("--repository", o->repositories, "An extra apt sources.list line");
  cmd->add_flag("--offline", *offline,
                "No network: dependencies must already be in the snapshot or a file: repository");
  cmd->add_flag("--json", *json, "Print the report as JSON");
  cmd->callback([&ctx, o, json, offline] {
    ctx.action = [&ctx, o, json, offline] {
      o->store_path = ctx.global.store;
      o->network = !*offline;
      o->quiet = *json || ctx.global.quiet > 0;
      auto result = build::run_install_test(*o);
      if (*json) {
        std::printf("%s\n", build::install_test_to_json(result).c_str());
      } else {
        for (const auto& p : result.phases)
          if (!p.ok || ctx.global.quiet == 0)  // -q: only the failures
            std::printf("%-4s %s%s%s\n", p.ok ? "ok" : "FAIL", p.name.c_str(),
                      p.detail.empty() ? "" : ": ", p.detail.c_str());
      }
      return result.ok ? 0 : 1;
    };
  });
}

const Command kTestCommand{
    "test",
    "Install packages with apt in a fresh overlay of a snapshot, run smoke commands,\n"
    "purge them and check that nothing is left in /opt/venvs and the bin directories.",
    configure_test_command};

}  // namespace cleanroom::cli
