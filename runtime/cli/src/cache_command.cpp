// `cleanroom cache list|prune`: the store's dependency layers (build
// dependencies installed over a snapshot, reused by the next build with the
// same inputs), which otherwise grow without bound.
#include <cstdio>
#include <ctime>
#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

#include "cleanroom/base/byte_size.h"
#include "cleanroom/package/wheel_cache.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "command.h"
#include "time_text.h"

namespace cleanroom::cli {

namespace {

// The snapshot a layer sits on, by its first name when it has one.
std::string snapshot_label(const std::vector<store::SnapshotInfo>& snapshots,
                           const std::string& id) {
  for (const auto& s : snapshots)
    if (s.id == id) return s.names.empty() ? id.substr(0, 12) : s.names.front();
  return id.substr(0, 12) + " (removed)";
}

int list_layers(const std::string& store_path, bool json) {
  store::Store store(store::default_store_path(store_path));
  store::LayerCache cache(store);
  auto snapshots = store.list();
  auto layers = cache.list();
  std::uint64_t total = 0;
  auto arr = nlohmann::ordered_json::array();
  if (!json)
    std::printf("%-12s %-20s %8s %-20s %-20s %s\n", "KEY", "SNAPSHOT", "SIZE", "CREATED",
                "LAST USED", "BUILD DEPENDENCIES");
  for (const auto& l : layers) {
    std::uint64_t bytes = cache.disk_usage(l);
    total += bytes;
    if (json) {
      arr.push_back({{"key", l.key},
                     {"base_snapshot", l.base_snapshot},
                     {"snapshot", snapshot_label(snapshots, l.base_snapshot)},
                     {"size", bytes},
                     {"created", utc_time(l.created)},
                     {"last_used", utc_time(l.last_used)},
                     {"request", l.request},
                     {"packages", l.packages.size()}});
      continue;
    }
    std::string request = l.request.size() > 60 ? l.request.substr(0, 57) + "..." : l.request;
    std::printf("%-12s %-20s %8s %-20s %-20s %s\n", l.key.substr(0, 12).c_str(),
                snapshot_label(snapshots, l.base_snapshot).c_str(), human_size(bytes).c_str(),
                utc_time(l.created).c_str(), utc_time(l.last_used).c_str(),
                request.empty() ? "-" : request.c_str());
  }
  if (json) {
    std::printf("%s\n", arr.dump(2).c_str());
  } else {
    std::printf("%zu layer%s, %s (cleanroom cache prune removes them)\n", layers.size(),
                layers.size() == 1 ? "" : "s", human_size(total).c_str());
  }
  return 0;
}

struct PruneArgs {
  std::string older_than;
  std::uint64_t max_size = 0;
  bool dry_run = false;
  bool json = false;
};

int run_prune(const std::string& store_path, const PruneArgs& args) {
  store::PrunePolicy policy;
  if (!args.older_than.empty())
    policy.older_than_seconds = parse_duration(args.older_than, "--older-than");
  policy.max_bytes = args.max_size;
  store::Store store(store::default_store_path(store_path));
  store::LayerCache cache(store);
  store::PruneResult r = cache.prune(policy, std::time(nullptr), args.dry_run);
  // Wheels: by last use only (each is small, and rebuilt from its sdist).
  build::WheelPruneResult w;
  if (policy.older_than_seconds > 0)
    w = build::prune_cached_wheels(store, policy.older_than_seconds, std::time(nullptr), args.dry_run);
  if (args.json) {
    nlohmann::ordered_json j = {{"dry_run", args.dry_run},
                                {"removed", r.removed},
                                {"in_use", r.in_use},
                                {"freed", r.freed_bytes},
                                {"removed_wheels", w.removed},
                                {"freed_wheels", w.freed_bytes}};
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  const char* verb = args.dry_run ? "would remove" : "removed";
  for (const auto& key : r.removed) std::printf("%s layer %s\n", verb, key.c_str());
  for (const auto& key : r.in_use)
    std::printf("kept layer %s: a build is using it\n", key.c_str());
  std::printf("%s %zu layer%s, %s\n", verb, r.removed.size(), r.removed.size() == 1 ? "" : "s",
              human_size(r.freed_bytes).c_str());
  if (policy.older_than_seconds > 0)
    std::printf("%s %zu cached wheel%s, %s\n", verb, w.removed.size(),
                w.removed.size() == 1 ? "" : "s", human_size(w.freed_bytes).c_str());
  return 0;
}

}  // namespace

static void configure_cache_command(CLI::App& command, CommandContext& ctx) {
  CLI::App* cmd = &command;
  cmd->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = cmd->add_subcommand("list", "Every layer: key, snapshot, size, created, last used");
  list->add_flag("--json", *list_json, "Print the layers as JSON on stdout");
  list->callback([&ctx, list_json] {
    ctx.action = [&ctx, list_json] { return list_layers(ctx.global.store, *list_json); };
  });

  auto args = std::make_shared<PruneArgs>();
  auto* prune = cmd->add_subcommand(
      "prune",
      "Remove layers on snapshots the store no longer has, and those --older-than or past "
      "--max-size; layers a running build uses are kept");
  prune->add_option("--older-than", args->older_than,
                    "Also remove layers, and cached wheels, not used for this long: a number "
                    "and s, m, h or d (e.g. 30d)");
  prune->add_option("--max-size", args->max_size,
                    "Then remove the least recently used until the rest take at most this "
                    "much (e.g. 10G)")
      ->transform(CLI::AsSizeValue(false));
  prune->add_flag("--dry-run", args->dry_run, "Say what would go, remove nothing");
  prune->add_flag("--json", args->json, "Print the result as JSON on stdout");
  prune->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return run_prune(ctx.global.store, *args); };
  });
}

const Command kCacheCommand{
    "cache",
    "The store's dependency layers: build dependencies installed over a snapshot, kept so\n"
    "that the next build with the same inputs does no apt work, and the wheel cache of\n"
    "wheelhouse builds. They grow with every new set of Build-Depends and sdists; `cache\n"
    "prune` removes them (a build makes them again).",
    configure_cache_command};

}  // namespace cleanroom::cli
