// Entry point: parse, set up logging, run the chosen verb, map errors to the
// exit codes of README.md (1 failure, 2 usage/input, 3 environment).
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/base/closest_name.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/prefault.h"
#include "cleanroom/base/progress.h"
#include "command.h"
#include "help_format.h"

namespace {

// First of all initializers, since they already allocate (prefault.h).
[[gnu::constructor(101)]] void prefault() { cleanroom::prefault_heap(256 * 1024); }

// The only top-level option that takes a value: chosen_command skips it.
constexpr const char* kStoreOption = "--store";

// The subcommands, in the order --help lists them.
const cleanroom::cli::Command* const kCommands[] = {
    &cleanroom::cli::kSnapshotCommand, &cleanroom::cli::kRunCommand,
    &cleanroom::cli::kDiffCommand,     &cleanroom::cli::kBuildCommand,
    &cleanroom::cli::kVerifyCommand,   &cleanroom::cli::kAuditCommand,
    &cleanroom::cli::kPublishCommand,  &cleanroom::cli::kTestCommand,
    &cleanroom::cli::kDoctorCommand,   &cleanroom::cli::kPlanCommand,
    &cleanroom::cli::kCacheCommand,
};

// The subcommand the words name, read the way CLI11 will: the first word that
// is neither an option nor the value of --store. Null when that word is no
// subcommand, or there is none.
const cleanroom::cli::Command* chosen_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") return nullptr;
    if (word == kStoreOption) {
      ++i;
      continue;
    }
    if (word.starts_with('-')) continue;
    for (const cleanroom::cli::Command* command : kCommands)
      if (word == command->name) return command;
    return nullptr;
  }
  return nullptr;
}

// Every subcommand is listed, with its description, for --help and for the
// hint after an unknown word; only the chosen one gets its options.
void add_commands(CLI::App& app, cleanroom::cli::CommandContext& ctx,
                  const cleanroom::cli::Command* chosen) {
  for (const cleanroom::cli::Command* command : kCommands) {
    CLI::App* sub = app.add_subcommand(command->name, command->description);
    if (chosen == command) command->configure(*sub, ctx);
  }
}

// The deepest command the words chose: `cleanroom snapshot lst` stops at
// `snapshot`, whose verb is then the unknown word.
const CLI::App& deepest_command(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    std::vector<CLI::App*> chosen = at->get_subcommands();
    if (chosen.empty()) return *at;
    at = chosen.front();
  }
}

// A word where a subcommand belongs that is none, or no word at all: name
// it and the one probably meant, or list the choices, instead of CLI11's
// "A subcommand is required".
bool unknown_command(const CLI::App& app) {
  const CLI::App& parent = deepest_command(app);
  std::vector<std::string> names;
  for (const CLI::App* sub : parent.get_subcommands({})) names.push_back(sub->get_name());
  if (names.empty()) return false;
  std::string path = parent.get_parent() == nullptr ? "cleanroom" : "cleanroom " + parent.get_name();
  // CLI11 hands a word no subcommand took back to the top-level command.
  std::vector<std::string> words = parent.remaining();
  for (const std::string& word : app.remaining()) words.push_back(word);
  for (const std::string& word : words) {
    if (word.empty() || word[0] == '-') continue;
    std::string meant = cleanroom::closest_name(word, names);
    std::string hint = meant.empty() ? "" : " (did you mean '" + meant + "'?)";
    std::fprintf(stderr, "cleanroom: error: unknown command '%s'%s; `%s --help` lists them\n",
                 cleanroom::printable(word).c_str(), hint.c_str(), path.c_str());
    return true;
  }
  if (!parent.get_subcommands().empty()) return false;
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
  std::fprintf(stderr, "cleanroom: error: `%s` needs a subcommand: %s; `%s --help` explains them\n",
               path.c_str(), list.c_str(), path.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cleanroom;
  cli::CommandContext ctx;
  CLI::App app{"cleanroom: hermetic, reproducible Debian package builds without root", "cleanroom"};
  app.formatter(cli::make_help_formatter());
  app.require_subcommand(1);
  app.set_version_flag("--version", CLEANROOM_VERSION);
  app.add_option(kStoreOption, ctx.global.store,
                 "Snapshot store directory (default: $CLEANROOM_STORE, else /var/lib/cleanroom "
                 "as root, $XDG_DATA_HOME/cleanroom otherwise)");
  app.add_flag("-v,--verbose", ctx.global.verbose, "More output (repeat for debug)");
  app.add_flag("-q,--quiet", ctx.global.quiet, "Only errors");
  app.fallthrough();

  add_commands(app, ctx, chosen_command(argc, argv));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && unknown_command(app)) return 2;
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (ctx.global.quiet > 0) {
    log::set_level(log::Level::Error);
    Progress::set_enabled(false);
  }
  else if (ctx.global.verbose > 0)
    log::set_level(log::Level::Debug);

  try {
    // Every configured subcommand sets an action; only a subcommand that
    // chosen_command missed could leave none.
    if (!ctx.action) throw std::logic_error("no action for the command line");
    return ctx.action();
  } catch (const Error& e) {
    std::fprintf(stderr, "cleanroom: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    // Untrusted input asked for more memory than the machine has: not a verdict (1).
    std::fprintf(stderr, "cleanroom: error: out of memory\n");
    return static_cast<int>(ErrorKind::Environment);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cleanroom: internal error: %s\n", e.what());
    return 1;
  }
}
