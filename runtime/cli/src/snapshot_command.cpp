#include "command.h"

#include "cleanroom/base/error.h"

namespace cleanroom::cli {

void add_snapshot_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("snapshot", "(not available yet)");
  cmd->callback([&ctx] { ctx.action = [] () -> int { throw_input("'snapshot' is not available yet"); }; });
}

}  // namespace cleanroom::cli
