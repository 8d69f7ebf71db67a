#include "command.h"

#include "cleanroom/base/error.h"

namespace cleanroom::cli {

void add_run_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("run", "(not available yet)");
  cmd->callback([&ctx] { ctx.action = [] () -> int { throw_input("'run' is not available yet"); }; });
}

}  // namespace cleanroom::cli
