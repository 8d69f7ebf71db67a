// `cleanroom diff A B`: parses the options, calls repro::diff_paths (or hands
// over to diffoscope) and prints the result as text or --json.
// Exit codes: 0 identical, 1 different, 2 bad input, 3 diffoscope missing or
// the decompression budget spent.
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cleanroom/base/error.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/process.h"
#include "cleanroom/repro/diff.h"
#include "command.h"

namespace cleanroom::cli {

namespace {

struct DiffArgs {
  std::string a, b;
  bool json = false;
  bool diffoscope = false;
  std::size_t max_report = 200;
  int max_depth = 8;
  std::uint64_t max_decompressed = repro::kDefaultMaxDecompressed;
  std::uint64_t max_member_memory = repro::kDefaultMaxMemberMemory;
  bool quiet = false;  // -q: the exit status says it all, as with cmp -s
};

std::string where(const repro::Difference& d) { return d.path.empty() ? "(inputs)" : d.path; }

std::string indent(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += "    " + text.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  return out;
}

std::string describe(const repro::Difference& d) {
  using repro::DifferenceKind;
  switch (d.kind) {
    case DifferenceKind::OnlyInA: return fmt::format("only in A ({})", d.a);
    case DifferenceKind::OnlyInB: return fmt::format("only in B ({})", d.b);
    case DifferenceKind::Type: return fmt::format("{} differs: {} -> {}", d.field, d.a, d.b);
    case DifferenceKind::Metadata: return fmt::format("{}: {} -> {}", d.field, d.a, d.b);
    case DifferenceKind::Field:
      return fmt::format("control field {}: '{}' -> '{}'", d.field, d.a, d.b);
    case DifferenceKind::Content:
      return fmt::format("{} content differs ({} -> {})", d.field, d.a, d.b);
  }
  return "";
}

// Names, fields and contents come from the inputs: every byte a terminal would
// act on is printed escaped (base/printable.h); details keep their line breaks.
void print_text(const DiffArgs& args, const repro::DiffResult& result) {
  std::string a = printable(args.a), b = printable(args.b);
  if (result.identical()) {
    std::printf("'%s' and '%s' are identical\n", a.c_str(), b.c_str());
    return;
  }
  std::printf("--- %s\n+++ %s\n", a.c_str(), b.c_str());
  for (const repro::Difference& d : result.differences) {
    std::printf("%s: %s\n", printable(where(d)).c_str(), printable(describe(d)).c_str());
    if (!d.detail.empty())
      std::fputs(indent(printable(d.detail, LineBreaks::Keep)).c_str(), stdout);
  }
  if (result.truncated())
    std::printf("%zu differences, %zu listed (--max-report 0 lists all)\n", result.total,
                result.differences.size());
  else
    std::printf("%zu difference%s\n", result.total, result.total == 1 ? "" : "s");
}

void print_json(const DiffArgs& args, const repro::DiffResult& result) {
  auto list = nlohmann::ordered_json::array();
  for (const repro::Difference& d : result.differences)
    list.push_back({{"path", d.path}, {"kind", repro::to_string(d.kind)}, {"field", d.field},
                    {"a", d.a}, {"b", d.b}, {"detail", d.detail}});
  nlohmann::ordered_json out = {{"format_version", repro::kDiffFormatVersion},
                                {"a", args.a},
                                {"b", args.b},
                                {"identical", result.identical()},
                                {"total", result.total},
                                {"truncated", result.truncated()},
                                {"differences", list}};
  // Paths and contents are bytes: invalid UTF-8 is replaced, not fatal.
  std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

int run_diffoscope(const DiffArgs& args) {
  std::string program = find_program("diffoscope");
  if (program.empty())
    throw_environment("--diffoscope: diffoscope is not installed (apt-get install diffoscope)");
  ProcessSpec spec;
  spec.argv = {program};
  if (args.json) spec.argv.insert(spec.argv.end(), {"--json", "-"});
  spec.argv.insert(spec.argv.end(), {args.a, args.b});
  // diffoscope's own exit codes mean the same: 0 identical, 1 different, 2 trouble.
  return run_process(spec).status;
}

int run_diff(const DiffArgs& args) {
  if (args.diffoscope) return run_diffoscope(args);
  repro::DiffOptions options;
  options.max_report = args.max_report;
  options.max_depth = args.max_depth;
  options.max_decompressed = args.max_decompressed;
  options.max_member_memory = args.max_member_memory;
  repro::DiffResult result = repro::diff_paths(args.a, args.b, options);
  if (args.json)
    print_json(args, result);
  else if (!args.quiet)
    print_text(args, result);
  std::fflush(stdout);
  return result.identical() ? 0 : 1;
}

}  // namespace

static void configure_diff_command(CLI::App& command, CommandContext& ctx) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = &command;
  cmd->footer(
      "Exit status: 0 identical, 1 different, 2 bad input, 3 diffoscope missing or "
      "--max-decompressed reached.");
  cmd->add_option("A", args->a, "First file or directory")->required();
  cmd->add_option("B", args->b, "Second file or directory")->required();
  cmd->add_flag("--json", args->json, "Print the result as JSON (with format_version)");
  cmd->add_flag("--diffoscope", args->diffoscope, "Hand the comparison over to diffoscope");
  cmd->add_option("--max-report", args->max_report,
                  "List at most N differences (0: all); all are counted")
      ->capture_default_str();
  cmd->add_option("--max-depth", args->max_depth, "Open nested containers this deep at most")
      ->capture_default_str();
  cmd->add_option("--max-decompressed", args->max_decompressed,
                  "Decompress at most this many bytes in all (suffixes k, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--max-member-memory", args->max_member_memory,
                  "Compare members larger than this by SHA-256 instead of in memory")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->callback([&ctx, args] {
    args->quiet = ctx.global.quiet > 0;
    ctx.action = [args] { return run_diff(*args); };
  });
}

const Command kDiffCommand{
    "diff",
    "Structured, recursive diff of two .debs, directories, tars, wheels or zips",
    configure_diff_command};

}  // namespace cleanroom::cli
