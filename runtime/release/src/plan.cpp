#include "cleanroom/release/plan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/store/store.h"

namespace cleanroom::build {

namespace {

// recipes/ holds one directory per recipe (recipes/x/recipe.toml) or flat *.toml.
std::vector<std::string> expand_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> out;
  for (const auto& s : sources) {
    struct stat st;
    if (::stat(s.c_str(), &st) != 0) throw_input(fmt::format("'{}' does not exist", s));
    if (!S_ISDIR(st.st_mode)) {
      out.push_back(real_path(s));
      continue;
    }
    std::vector<std::string> names;
    try {
      names = list_dir(s);
    } catch (const Error& e) {
      // A directory the user named: not being able to read it is theirs to fix.
      throw Error(ErrorKind::Input, e.what(), e.error_number());
    }
    std::vector<std::string> found;
    for (const auto& name : names) {
      if (name[0] == '.') continue;
      std::string p = s + "/" + name;
      if (std::string_view(name).ends_with(".toml"))
        found.push_back(real_path(p));
      else if (path_exists(p + "/recipe.toml"))
        found.push_back(real_path(p + "/recipe.toml"));
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) throw_input(fmt::format("'{}' holds no recipe (*.toml or */recipe.toml)", s));
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

// A file's bytes, or for a directory every regular file's name and bytes, in order.
void hash_path(HashKey& key, const std::string& path) {
  struct stat st;
  if (path.empty() || ::stat(path.c_str(), &st) != 0) {
    key.add("absent");
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    key.add("file").add(sha256_file(path));
    return;
  }
  std::vector<std::string> names = list_dir(path);
  std::erase_if(names, [](const std::string& n) { return n[0] == '.'; });
  key.add("dir").add(static_cast<std::uint64_t>(names.size()));
  for (const auto& n : names) {
    key.add(n);
    hash_path(key, path + "/" + n);
  }
}

// The snapshot a node builds in, picked as `cleanroom build` picks it (-d over
// the recipe's, --arch's NAME-ARCH), and its id: a name the store lacks is an
// error now, as it would be the build's. A store that cannot be opened leaves
// the id empty, for the node to resolve when it runs.
struct NodeSnapshot {
  std::string name, id, arch;
};

NodeSnapshot node_snapshot(const PlanOptions& o, const python::Recipe& r) {
  NodeSnapshot s{o.build.snapshot.empty() ? r.snapshot : o.build.snapshot, "", o.build.arch};
  std::optional<store::Store> store;
  try {
    store.emplace(store::default_store_path(o.store_path));
  } catch (const Error& e) {
    log::debug(fmt::format("plan: snapshot '{}' left unresolved: {}", s.name, e.what()));
    return s;
  }
  try {
    store::SnapshotInfo info = store->resolve(snapshot_for_arch(*store, s.name, o.build.arch));
    s.id = info.id;
    if (!info.arch.empty()) s.arch = info.arch;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) throw;
    std::string asked_by = o.build.snapshot.empty() ? r.file : "-d " + s.name;
    throw_input(fmt::format("{}: {}", asked_by, e.what()));
  }
  return s;
}

// The absolute form of a path that may not exist yet (an output directory),
// its existing part with links resolved, as the root's is.
std::string absolute_path(const std::string& path) {
  return std::filesystem::weakly_canonical(std::filesystem::absolute(path)).string();
}

// `path` relative to `root` when beneath it, so that the command runs the same
// in another checkout; a path elsewhere stays absolute.
std::string portable_path(const std::string& root, const std::string& path) {
  std::filesystem::path rel = std::filesystem::path(path).lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return path;
  std::string s = rel.string();
  if (!s.empty() && s.back() == '/') s.pop_back();
  return s.empty() ? "." : s;
}

// The `cleanroom build` options every node's command repeats.
std::vector<std::string> node_build_args(const NodeBuildOptions& b) {
  std::vector<std::string> args;
  if (!b.snapshot.empty()) args.insert(args.end(), {"-d", b.snapshot});
  if (!b.arch.empty()) args.insert(args.end(), {"--arch", b.arch});
  if (b.offline) args.push_back("--offline");
  if (b.timeout_seconds > 0)
    args.insert(args.end(), {"--timeout", std::to_string(b.timeout_seconds)});
  if (!b.run_lintian) args.push_back("--no-run-lintian");
  return args;
}

std::string file_version(const std::string& version) {
  return version.substr(version.find(':') + 1);
}

std::string output_arch(const python::Recipe& r, const NodeSnapshot& snapshot) {
  if (!r.architecture.empty() && r.architecture != "any") return r.architecture;
  return snapshot.arch.empty() ? "amd64" : snapshot.arch;
}

// Kahn's algorithm, ties broken by recipe order, so the plan is stable.
std::vector<PlanNode> topological(std::vector<PlanNode> nodes) {
  std::vector<PlanNode> ordered;
  std::set<std::string> done;
  while (!nodes.empty()) {
    auto ready = std::find_if(nodes.begin(), nodes.end(), [&](const PlanNode& n) {
      return std::all_of(n.depends_on.begin(), n.depends_on.end(),
                         [&](const std::string& d) { return done.count(d) > 0; });
    });
    if (ready == nodes.end()) throw_input(fmt::format("recipes depend on each other in a cycle ({})", nodes.front().id));
    done.insert(ready->id);
    ordered.push_back(*ready);
    nodes.erase(ready);
  }
  return ordered;
}

// The node that proves `build` reproducible: `cleanroom verify` of the same
// recipe with the same options and wheelhouse. It depends on the build node
// (a recipe that does not build is not verified, and the dependency layer the
// build made is warm for both of verify's builds) and on what the build node
// depends on, whose outputs its command reads. It writes no outputs: its
// result is its exit status, and its input hash is the build's, in its own
// domain, so a store keyed by input hashes remembers that it passed.
PlanNode verify_node(const PlanNode& build) {
  PlanNode v = build;
  v.id = "verify-" + build.id;
  v.kind = "verify";
  v.command[1] = "verify";
  v.command.erase(v.command.begin() + 3, v.command.begin() + 5);  // --out DIR
  // verify runs no lintian: the option is build's alone.
  std::erase(v.command, std::string("--no-run-lintian"));
  v.outputs.clear();
  v.depends_on.push_back(build.id);
  v.input_hash = HashKey("cleanroom-plan-verify/v1").add(build.input_hash).hex();
  return v;
}

}  // namespace

Plan make_plan(const PlanOptions& o) {
  Plan plan;
  plan.root = real_path(o.root.empty() ? "." : o.root);
  plan.out_dir = o.out_dir.empty() ? plan.root : absolute_path(o.out_dir);
  const std::string out = portable_path(plan.root, plan.out_dir);
  std::vector<python::Recipe> recipes;
  std::vector<std::string> problems;
  for (const auto& path : expand_sources(o.sources)) {
    try {
      recipes.push_back(python::load_recipe(path));
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  if (!problems.empty()) throw_input(join(problems, "\n"));
  std::map<std::string, std::string> hash_of;  // id -> input hash, for dependents
  std::vector<std::string> wheelhouses;
  std::vector<PlanNode> nodes;
  std::set<std::string> ids;
  // Wheelhouses first: their input hashes feed their dependents'.
  std::stable_sort(recipes.begin(), recipes.end(), [](const auto& a, const auto& b) {
    return a.kind == python::RecipeKind::Wheelhouse && b.kind != python::RecipeKind::Wheelhouse;
  });
  std::vector<NodeSnapshot> snapshots;
  for (const auto& r : recipes) {
    try {
      snapshots.push_back(node_snapshot(o, r));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Input) throw;
      // One -d naming a missing snapshot is one problem, not one per recipe.
      if (std::find(problems.begin(), problems.end(), e.what()) == problems.end())
        problems.push_back(e.what());
    }
  }
  if (!problems.empty()) throw_input(join(problems, "\n"));
  for (std::size_t i = 0; i < recipes.size(); ++i) {
    const python::Recipe& r = recipes[i];
    const NodeSnapshot& snapshot = snapshots[i];
    if (!ids.insert(r.name).second)
      throw_input(fmt::format("two recipes build '{}' ({}); package names must be unique", r.name, r.file));
    PlanNode n;
    n.id = r.name;
    n.kind = python::recipe_kind_name(r.kind);
    n.recipe = portable_path(plan.root, real_path(r.file));
    n.snapshot = snapshot.name;
    n.snapshot_id = snapshot.id;
    // Everything that decides the bytes, each part length-prefixed: the recipe,
    // the snapshot asked for and what it is, the architecture, then the files
    // read and the wheelhouse's own input hash.
    // v3: the outputs gained the SBOM, so results made before it are not reused.
    HashKey key("cleanroom-plan-node/v3");
    key.add(python::recipe_hash(r)).add(snapshot.name).add(snapshot.id).add(snapshot.arch);
    std::string stem =
        fmt::format("{}_{}_{}", r.name, file_version(r.version), output_arch(r, snapshot));
    n.outputs = {stem + ".deb", stem + ".buildinfo", stem + ".changes", stem + ".cdx.json"};
    if (r.kind == python::RecipeKind::Venv && r.venv.debug_symbols)
      n.outputs.insert(n.outputs.begin() + 1,
                       fmt::format("{}-dbgsym_{}_{}.deb", r.name, file_version(r.version),
                                   output_arch(r, snapshot)));
    n.command = {"cleanroom", "build", n.recipe, "--out", out};
    std::vector<std::string> build_args = node_build_args(o.build);
    n.command.insert(n.command.end(), build_args.begin(), build_args.end());
    // Files shipped as they are: their bytes decide the package's.
    if (!r.changelog.empty()) hash_path(key, r.changelog.resolved);
    if (r.kind == python::RecipeKind::Venv) {
      for (const auto& [name, script] : r.venv.maintainer_scripts) hash_path(key, script.resolved);
      for (const auto& unit : r.venv.systemd_units) hash_path(key, unit.resolved);
    }
    if (r.kind == python::RecipeKind::Wheelhouse) {
      hash_path(key, r.wheelhouse.sources.resolved);
      hash_path(key, r.wheelhouse.requirements.file.resolved);
      hash_path(key, r.wheelhouse.constraints.resolved);
      wheelhouses.push_back(r.name);
    } else {
      hash_path(key, r.venv.requirements.file.resolved);
      hash_path(key, r.venv.constraints.resolved);
      if (!r.venv.wheelhouse.empty()) {
        hash_path(key, r.venv.wheelhouse.resolved);
        for (const auto& w : wheelhouses)
          if (r.venv.wheelhouse.resolved.find("/" + w + "_") != std::string::npos)
            n.depends_on.push_back(w);
      } else if (!wheelhouses.empty()) {
        // No wheelhouse of its own: the batch's (the last one, as `cleanroom build` does).
        const std::string& w = wheelhouses.back();
        n.depends_on.push_back(w);
        const auto& wn = *std::find_if(nodes.begin(), nodes.end(), [&](const PlanNode& x) { return x.id == w; });
        n.command.push_back("--wheelhouse");
        n.command.push_back(out + "/" + wn.outputs.front());
      }
      key.add(static_cast<std::uint64_t>(n.depends_on.size()));
      for (const auto& d : n.depends_on) key.add(d).add(hash_of[d]);
    }
    n.input_hash = key.hex();
    hash_of[n.id] = n.input_hash;
    nodes.push_back(n);
  }
  plan.nodes = topological(nodes);
  if (o.verify) {
    // After every build, so a runner that starts nodes in plan order builds
    // the release before it spends time proving it.
    std::vector<PlanNode> verifies;
    for (const auto& n : plan.nodes) {
      verifies.push_back(verify_node(n));
      if (ids.count(verifies.back().id))
        throw_input(
            fmt::format("recipe '{}' is named as the verify node of '{}' would be; rename it",
                        verifies.back().id, n.id));
    }
    plan.nodes.insert(plan.nodes.end(), verifies.begin(), verifies.end());
  }
  return plan;
}

std::string plan_to_json(const Plan& plan) {
  nlohmann::json nodes = nlohmann::json::array();
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& n : plan.nodes) {
    nodes.push_back({{"id", n.id}, {"kind", n.kind}, {"recipe", n.recipe},
                     {"input_hash", n.input_hash}, {"command", n.command},
                     {"outputs", n.outputs}, {"depends_on", n.depends_on},
                     {"snapshot", {{"name", n.snapshot}, {"id", n.snapshot_id}}}});
    for (const auto& d : n.depends_on) edges.push_back({{"from", d}, {"to", n.id}});
  }
  return nlohmann::json{{"format_version", kPlanVersion}, {"root", plan.root},
                        {"out_dir", portable_path(plan.root, plan.out_dir)},
                        {"nodes", nodes}, {"edges", edges}}
      .dump(2);
}

}  // namespace cleanroom::build
