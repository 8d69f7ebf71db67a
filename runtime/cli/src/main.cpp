// Entry point: parse, set up logging, run the chosen verb, map errors to the
// exit codes of README.md (1 failure, 2 usage/input, 3 environment).
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "cleanroom/base/closest_name.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/progress.h"
#include "command.h"
#include "help_format.h"

namespace {

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
  app.add_option("--store", ctx.global.store,
                 "Snapshot store directory (default: $CLEANROOM_STORE, else /var/lib/cleanroom "
                 "as root, $XDG_DATA_HOME/cleanroom otherwise)");
  app.add_flag("-v,--verbose", ctx.global.verbose, "More output (repeat for debug)");
  app.add_flag("-q,--quiet", ctx.global.quiet, "Only errors");
  app.fallthrough();

  cli::add_snapshot_command(app, ctx);
  cli::add_run_command(app, ctx);
  cli::add_diff_command(app, ctx);
  cli::add_build_command(app, ctx);
  cli::add_verify_command(app, ctx);
  cli::add_audit_command(app, ctx);
  cli::add_publish_command(app, ctx);
  cli::add_test_command(app, ctx);
  cli::add_doctor_command(app, ctx);
  cli::add_plan_command(app, ctx);
  cli::add_cache_command(app, ctx);

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
    return ctx.action ? ctx.action() : 2;
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
