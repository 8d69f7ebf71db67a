#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cleanroom/release/publish.h"
#include "command.h"

namespace cleanroom::cli {

static void configure_publish_command(CLI::App& command, CommandContext& ctx) {
  auto o = std::make_shared<build::PublishOptions>();
  CLI::App* cmd = &command;
  cmd->add_option("repo", o->repo, "Repository base directory")->required();
  cmd->add_option("files", o->changes, ".changes (or .deb) files to add")->required();
  cmd->add_option("--codename", o->codename, "Distribution codename, e.g. bookworm-2024.1")
      ->capture_default_str();
  cmd->add_option("--suite", o->suite, "Suite field of a new repository");
  cmd->add_option("--component", o->component, "Component")->capture_default_str();
  cmd->add_option("--architectures", o->architectures,
                  "Architectures of a new repository (default: the host's)");
  cmd->add_option("--origin", o->origin, "Origin and Label of a new repository")
      ->capture_default_str();
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json,
                "Print the repository, its codename, whether it was created and what was added "
                "as JSON");
  cmd->callback([&ctx, o, json] {
    ctx.action = [&ctx, o, json] {
      auto result = build::publish_to_repository(*o);
      if (*json) {
        nlohmann::ordered_json j = {{"repository", o->repo},
                                    {"codename", o->codename},
                                    {"created", result.created},
                                    {"added", result.added}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
      }
      if (result.created && ctx.global.quiet == 0) std::fprintf(stderr, "created repository %s\n", o->repo.c_str());
      for (const auto& f : result.added) std::printf("%s\n", f.c_str());
      return 0;
    };
  });
}

const Command kPublishCommand{
    "publish",
    "Add build results (.changes or .deb) to a staging apt repository with reprepro,\n"
    "creating the repository and its conf/distributions when absent. Codename, suite,\n"
    "component and origin are names of letters, digits and . + ~ _ -; architectures\n"
    "a list of Debian architectures; anything else is refused before anything is written.",
    configure_publish_command};

}  // namespace cleanroom::cli
