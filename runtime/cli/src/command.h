// Shared by the verb files: each one configures its subcommand, fills a
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

// A subcommand: its name and description, which `cleanroom --help` lists, and
// the function that adds its options and verbs to it. main configures only the
// subcommand the words choose: building every command's options took about a
// millisecond of each run's start-up.
struct Command {
  const char* name;
  const char* description;
  void (*configure)(CLI::App& command, CommandContext& ctx);
};

extern const Command kSnapshotCommand;
extern const Command kRunCommand;
extern const Command kDiffCommand;
extern const Command kBuildCommand;
extern const Command kVerifyCommand;
extern const Command kAuditCommand;
extern const Command kPublishCommand;
extern const Command kTestCommand;
extern const Command kDoctorCommand;
extern const Command kPlanCommand;
extern const Command kCacheCommand;

}  // namespace cleanroom::cli
