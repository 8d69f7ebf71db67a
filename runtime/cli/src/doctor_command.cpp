#include <cstdio>

#include "cleanroom/pipeline/doctor.h"
#include "command.h"

namespace cleanroom::cli {

void add_doctor_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "doctor", "Check this machine (namespaces, overlayfs, subuid, store, tools) and say how "
                "to fix each missing piece");
  cmd->callback([&ctx] {
    ctx.action = [&ctx] {
      auto checks = build::run_doctor(ctx.global.store);
      for (const auto& c : checks) {
        const char* mark = c.level == build::CheckLevel::Ok        ? "ok"
                           : c.level == build::CheckLevel::Warning ? "warn"
                                                                   : "MISSING";
        std::printf("%-8s %-16s %s\n", mark, c.name.c_str(), c.detail.c_str());
        if (!c.fix.empty()) std::printf("%-8s %-16s fix: %s\n", "", "", c.fix.c_str());
      }
      return build::doctor_exit_code(checks);
    };
  });
}

}  // namespace cleanroom::cli
