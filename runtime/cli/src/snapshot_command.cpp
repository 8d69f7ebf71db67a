// `cleanroom snapshot create|import|list|rm|verify|export|gc`: options in, one
// library call each, results out as text or --json.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cleanroom/base/byte_size.h"
#include "cleanroom/base/error.h"
#include "cleanroom/pipeline/snapshot_create.h"
#include "cleanroom/store/import.h"
#include "cleanroom/store/store.h"
#include "cleanroom/store/verify.h"
#include "command.h"
#include "time_text.h"

namespace cleanroom::cli {

namespace {

struct SnapshotArgs {
  build::SnapshotCreateOptions create;
  std::string file;
  std::string name;
  std::string suite;
  std::uint64_t max_unpacked = 0;  // 0: store::unpacked_budget
  std::vector<std::string> targets;
  bool force = false;
  bool json = false;
};

nlohmann::ordered_json to_json(const store::SnapshotInfo& s) {
  return {{"id", s.id},           {"names", s.names},       {"suite", s.suite},
          {"arch", s.arch},       {"size", s.size},         {"created", utc_time(s.created)},
          {"root", s.root_dir},   {"deb_compression", s.deb_compression},
          {"mirror", s.mirror},   {"origin", s.origin}};
}

int report_published(const store::Published& p, const std::string& name, bool json) {
  const store::SnapshotInfo& s = p.snapshot;
  if (json) {
    nlohmann::ordered_json j = to_json(s);
    if (!p.replaced_id.empty()) j["replaced_id"] = p.replaced_id;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  if (!p.replaced_id.empty())
    std::printf("moved name '%s': %s -> %s (the old snapshot stays, unnamed, until `snapshot "
                "gc`)\n",
                name.c_str(), p.replaced_id.c_str(), s.id.c_str());
  std::printf("snapshot '%s': %s (%s, %s %s)\n", name.c_str(), s.id.c_str(),
              human_size(s.size).c_str(), s.suite.empty() ? "-" : s.suite.c_str(),
              s.arch.empty() ? "-" : s.arch.c_str());
  return 0;
}

int run_list(const std::string& store_path, bool json) {
  store::Store store(store::default_store_path(store_path));
  auto all = store.list();
  if (json) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& s : all) arr.push_back(to_json(s));
    std::printf("%s\n", arr.dump(2).c_str());
    return 0;
  }
  std::printf("%-20s %-12s %-10s %-8s %8s %s\n", "NAME", "ID", "SUITE", "ARCH", "SIZE",
              "CREATED");
  for (const auto& s : all) {
    std::vector<std::string> names = s.names.empty() ? std::vector<std::string>{"-"} : s.names;
    for (const auto& n : names)
      std::printf("%-20s %-12s %-10s %-8s %8s %s\n", n.c_str(), s.id.substr(0, 12).c_str(),
                  s.suite.empty() ? "-" : s.suite.c_str(), s.arch.empty() ? "-" : s.arch.c_str(),
                  human_size(s.size).c_str(), utc_time(s.created).c_str());
  }
  return 0;
}

int run_verify(const std::string& store_path, std::vector<std::string> targets, bool json) {
  store::Store store(store::default_store_path(store_path));
  if (targets.empty())
    for (const auto& s : store.list()) targets.push_back(s.names.empty() ? s.id : s.names[0]);
  bool all_ok = true;
  auto arr = nlohmann::ordered_json::array();
  for (const auto& t : targets) {
    store::VerifyResult r = store::verify_snapshot(store, t);
    all_ok = all_ok && r.ok();
    if (json) {
      auto changes = nlohmann::ordered_json::array();
      for (const auto& c : r.changes) changes.push_back({{"path", c.path}, {"change", c.what}});
      arr.push_back({{"name", t}, {"id", r.snapshot.id}, {"ok", r.ok()},
                     {"archive_sha256", r.archive_sha256}, {"changes", changes}});
      continue;
    }
    std::printf("%s %s: %s\n", t.c_str(), r.snapshot.id.substr(0, 12).c_str(),
                r.ok() ? "ok" : "TAMPERED");
    if (!r.archive_ok)
      std::printf("  snapshot.tar.zst hashes to %s, not to its id\n", r.archive_sha256.c_str());
    for (const auto& c : r.changes) std::printf("  %s: %s\n", c.path.c_str(), c.what.c_str());
  }
  if (json) std::printf("%s\n", arr.dump(2).c_str());
  return all_ok ? 0 : 1;
}

// The subcommands share one SnapshotArgs. Their actions run after parsing, when
// these functions have long returned, so each holds it by shared pointer.
using Args = std::shared_ptr<SnapshotArgs>;

void add_create(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* create = cmd.add_subcommand("create", "Bootstrap a Debian suite into a new snapshot");
  create->add_option("suite", args->create.suite, "Suite with a definition in chroots/")
      ->required();
  create->add_option("--name", args->create.name, "Name for the snapshot (default: the suite)");
  create->add_option("--mirror", args->create.mirror, "Debian mirror URL");
  create->add_option("--variant", args->create.variant, "mmdebstrap variant (default: buildd)");
  create->add_option("--include", args->create.include,
                     "Extra packages, comma or space separated (repeatable)");
  create->add_option("--arch", args->create.arch,
                     "Architecture (default: the host's); on amd64 also i386, which build --arch i386 "
                     "finds when named SUITE-i386");
  create->add_option("--bootstrapper", args->create.bootstrapper,
                     "mmdebstrap or debootstrap (default: mmdebstrap when installed)");
  create->add_flag("--force", args->create.force,
                   "Move the name when it already names a snapshot of other content (refused "
                   "otherwise); the old snapshot stays, unnamed, until gc");
  create->add_flag("--json", args->json, "Print the result as JSON");
  create->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      store::Store store(store::default_store_path(ctx.global.store));
      auto info = build::create_snapshot(store, args->create);
      return report_published(info, args->create.name.empty() ? args->create.suite
                                                              : args->create.name,
                              args->json);
    };
  });
}

void add_import(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* import = cmd.add_subcommand("import", "Store a chroot tarball as a snapshot");
  import->add_option("file", args->file, ".tar, .tar.zst, .tar.xz or .tar.gz")->required();
  import->add_option("--name", args->name, "Name for the snapshot")->required();
  import->add_option("--suite", args->suite, "Suite the tarball holds (for list and builds)");
  import->add_flag("--force", args->force,
                   "Move the name when it already names a snapshot of other content (refused "
                   "otherwise); the old snapshot stays, unnamed, until gc");
  import->add_option("--max-unpacked", args->max_unpacked,
                     "Refuse an archive unpacking to more than this (suffixes k, M, G; "
                     "default 100 times its size, 256M to 32G)")
      ->transform(CLI::AsSizeValue(false));
  import->add_flag("--json", args->json, "Print the result as JSON");
  import->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      store::Store store(store::default_store_path(ctx.global.store));
      store::ImportRequest request;
      request.archive = args->file;
      request.name = args->name;
      request.meta.suite = args->suite;
      request.max_unpacked = args->max_unpacked;
      request.meta.source_date_epoch = store::source_date_epoch_from_env();
      request.replace = args->force;
      return report_published(store::import_archive(store, request), args->name, args->json);
    };
  });
}

void add_list(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* list = cmd.add_subcommand("list", "List the snapshots in the store");
  list->add_flag("--json", args->json, "Print as JSON");
  list->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return run_list(ctx.global.store, args->json); };
  });
}

void add_rm(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* rm = cmd.add_subcommand(
      "rm", "Remove names; a snapshot goes with its last name (or by id with --force)");
  rm->add_option("target", args->targets, "Name, id or id prefix")->required();
  rm->add_flag("-f,--force", args->force, "Remove the snapshot and every name of it");
  rm->add_flag("--json", args->json, "Print the names and snapshots removed as JSON");
  rm->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      store::Store store(store::default_store_path(ctx.global.store));
      nlohmann::ordered_json j = {{"removed_names", nlohmann::ordered_json::array()},
                                  {"removed_ids", nlohmann::ordered_json::array()}};
      for (const auto& t : args->targets) {
        store::RemoveResult r = store.remove(t, args->force);
        for (const auto& n : r.removed_names) j["removed_names"].push_back(n);
        if (!r.removed_id.empty()) j["removed_ids"].push_back(r.removed_id);
        if (args->json) continue;
        for (const auto& n : r.removed_names) std::printf("removed name '%s'\n", n.c_str());
        if (!r.removed_id.empty()) std::printf("removed snapshot %s\n", r.removed_id.c_str());
      }
      if (args->json) std::printf("%s\n", j.dump(2).c_str());
      return 0;
    };
  });
}

void add_verify(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* verify = cmd.add_subcommand(
      "verify", "Check snapshots against their id and manifest (exit 1 on tampering)");
  verify->add_option("target", args->targets, "Names or ids (default: all)");
  verify->add_flag("--json", args->json, "Print as JSON");
  verify->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return run_verify(ctx.global.store, args->targets, args->json); };
  });
}

void add_export(CLI::App& cmd, CommandContext& ctx, const Args& args) {
  auto* exp = cmd.add_subcommand("export", "Write a snapshot as a tarball");
  exp->add_option("target", args->name, "Name, id or id prefix")->required();
  exp->add_option("file", args->file, ".tar.zst (the stored archive), .tar.xz, .tar.gz, .tar")
      ->required();
  exp->add_flag("--json", args->json, "Print the snapshot id, the file and its size as JSON");
  exp->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      store::Store store(store::default_store_path(ctx.global.store));
      std::string id = store.resolve(args->name).id;
      store::export_snapshot(store, args->name, args->file);
      struct stat st{};
      std::uint64_t size = ::stat(args->file.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
      if (args->json) {
        nlohmann::ordered_json j = {{"id", id}, {"file", args->file}, {"size", size}};
        std::printf("%s\n", j.dump(2).c_str());
      } else {
        std::printf("exported snapshot %s to %s (%s)\n", id.c_str(), args->file.c_str(),
                    human_size(size).c_str());
      }
      return 0;
    };
  });
}

struct GcArgs {
  std::string grace = "24h";
  bool yes = false;
  bool json = false;
};

int report_gc_json(const store::Garbage& garbage, const std::vector<std::string>& removed) {
  nlohmann::ordered_json j = {{"removed", removed},
                              {"kept_young", nlohmann::ordered_json::array()},
                              {"kept_in_use", nlohmann::ordered_json::array()}};
  for (const auto& s : garbage.young) j["kept_young"].push_back(s.id);
  for (const auto& s : garbage.due)
    if (std::find(removed.begin(), removed.end(), s.id) == removed.end())
      j["kept_in_use"].push_back(s.id);
  std::printf("%s\n", j.dump(2).c_str());
  return 0;
}

int run_gc(const std::string& store_path, const GcArgs& args) {
  std::int64_t grace = parse_duration(args.grace, "--grace");
  store::Store store(store::default_store_path(store_path));
  store::Garbage garbage = store.find_garbage(grace, args.yes, std::time(nullptr));
  if (args.json) {
    std::vector<std::string> ids;
    for (const auto& s : garbage.due) ids.push_back(s.id);
    return report_gc_json(garbage, ids.empty() ? ids : store.collect_garbage(ids));
  }
  for (const auto& s : garbage.young)
    std::printf("keeping unnamed snapshot %s: created %s, within the grace period of %s "
                "(--grace, or --yes to remove it now)\n",
                s.id.c_str(), utc_time(s.created).c_str(), args.grace.c_str());
  if (garbage.due.empty()) {
    std::printf("nothing to remove: %s\n",
                garbage.young.empty() ? "every snapshot has a name"
                                      : "no unnamed snapshot is older than the grace period");
    return 0;
  }
  std::vector<std::string> ids;
  for (const auto& s : garbage.due) {
    std::printf("will remove unnamed snapshot %s (created %s, %s)\n", s.id.c_str(),
                utc_time(s.created).c_str(), human_size(s.size).c_str());
    ids.push_back(s.id);
  }
  std::vector<std::string> removed = store.collect_garbage(ids);
  for (const auto& id : removed) std::printf("removed snapshot %s\n", id.c_str());
  for (const auto& id : ids)
    if (std::find(removed.begin(), removed.end(), id) == removed.end())
      std::printf("kept snapshot %s: named again or in use by a sandbox since\n", id.c_str());
  return 0;
}

void add_gc(CLI::App& cmd, CommandContext& ctx) {
  auto args = std::make_shared<GcArgs>();
  auto* gc = cmd.add_subcommand(
      "gc", "Remove snapshots no name points at, once older than the grace period");
  gc->add_option("--grace", args->grace,
                 "Keep unnamed snapshots created less than this long ago: a number and s, m, "
                 "h or d")
      ->capture_default_str();
  gc->add_flag("--yes", args->yes, "Remove every unnamed snapshot, whatever its age");
  gc->add_flag("--json", args->json,
               "Print the removed ids, and those kept (young, or in use), as JSON");
  gc->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return run_gc(ctx.global.store, *args); };
  });
}

}  // namespace

static void configure_snapshot_command(CLI::App& command, CommandContext& ctx) {
  auto args = std::make_shared<SnapshotArgs>();
  CLI::App* cmd = &command;
  cmd->require_subcommand(1);
  // --help lists the subcommands in this order.
  add_create(*cmd, ctx, args);
  add_import(*cmd, ctx, args);
  add_list(*cmd, ctx, args);
  add_rm(*cmd, ctx, args);
  add_verify(*cmd, ctx, args);
  add_export(*cmd, ctx, args);
  add_gc(*cmd, ctx);
}

const Command kSnapshotCommand{
    "snapshot",
    "Create and manage clean chroot snapshots",
    configure_snapshot_command};

}  // namespace cleanroom::cli
