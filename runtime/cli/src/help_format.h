// The --help layout of every subcommand: options show a plain metavariable
// named after the option (--out OUT, -d,--snapshot SNAPSHOT) instead of
// CLI11's type and validator text (TEXT:PATH(existing)), and the list of
// subcommands shows each one's first line, so the man page and completion
// read the same clean text.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

namespace cleanroom::cli {

std::shared_ptr<CLI::Formatter> make_help_formatter();

}  // namespace cleanroom::cli
