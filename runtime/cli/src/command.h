// Shared by the verb files: each one adds its subcommand to the app, fills a
// plain options struct and sets ctx.action to call exactly one library entry point.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace cleanroom::cli {

struct GlobalOptions {
  std::string store;  // --store, else CLEANROOM_STORE, else the default
  int verbose = 0;
  int quiet = 0;
};

struct CommandContext {
  GlobalOptions global;
  std::function<int()> action;  // set by the chosen subcommand; returns the exit code
};

// This executable's path, for commands that run cleanroom again (batch builds).
std::string self_executable();

void add_snapshot_command(CLI::App& app, CommandContext& ctx);
void add_run_command(CLI::App& app, CommandContext& ctx);
void add_diff_command(CLI::App& app, CommandContext& ctx);
void add_build_command(CLI::App& app, CommandContext& ctx);
void add_verify_command(CLI::App& app, CommandContext& ctx);
void add_audit_command(CLI::App& app, CommandContext& ctx);
void add_publish_command(CLI::App& app, CommandContext& ctx);
void add_test_command(CLI::App& app, CommandContext& ctx);
void add_doctor_command(CLI::App& app, CommandContext& ctx);
void add_plan_command(CLI::App& app, CommandContext& ctx);
void add_cache_command(CLI::App& app, CommandContext& ctx);

}  // namespace cleanroom::cli
