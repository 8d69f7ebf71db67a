#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cleanroom/pipeline/doctor.h"
#include "command.h"

namespace cleanroom::cli {

namespace {

const char* level_name(build::CheckLevel level) {
  return level == build::CheckLevel::Ok        ? "ok"
         : level == build::CheckLevel::Warning ? "warn"
                                               : "missing";
}

void print_checks(const std::vector<build::DoctorCheck>& checks, bool json) {
  if (json) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& c : checks)
      arr.push_back({{"name", c.name}, {"level", level_name(c.level)}, {"detail", c.detail},
                     {"fix", c.fix}});
    std::printf("%s\n", arr.dump(2).c_str());
    return;
  }
  for (const auto& c : checks) {
    const char* mark = c.level == build::CheckLevel::Missing ? "MISSING" : level_name(c.level);
    std::printf("%-8s %-16s %s\n", mark, c.name.c_str(), c.detail.c_str());
    if (!c.fix.empty()) std::printf("%-8s %-16s fix: %s\n", "", "", c.fix.c_str());
  }
}

}  // namespace

static void configure_doctor_command(CLI::App& command, CommandContext& ctx) {
  CLI::App* cmd = &command;
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json,
                "Print the checks as JSON on stdout: name, level (ok, warn, missing), detail, fix");
  cmd->callback([&ctx, json] {
    ctx.action = [&ctx, json] {
      auto checks = build::run_doctor(ctx.global.store);
      print_checks(checks, *json);
      return build::doctor_exit_code(checks);
    };
  });
}

const Command kDoctorCommand{
    "doctor",
    "Check this machine (namespaces, overlayfs, subuid, store, tools) and say how "
    "to fix each missing piece",
    configure_doctor_command};

}  // namespace cleanroom::cli
