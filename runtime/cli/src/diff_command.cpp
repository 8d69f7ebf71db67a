#include "command.h"

#include "cleanroom/base/error.h"

namespace cleanroom::cli {

void add_diff_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("diff", "(not available yet)");
  cmd->callback([&ctx] { ctx.action = [] () -> int { throw_input("'diff' is not available yet"); }; });
}

}  // namespace cleanroom::cli
