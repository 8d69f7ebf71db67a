#include "cleanroom/release/plan.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/store.h"
#include "fake_snapshot.h"

using namespace cleanroom;
using namespace cleanroom::build;
using cleanroom::test::fake_snapshot;

namespace {

const std::string kBookworm = std::string(64, 'b');
const std::string kBookwormI386 = std::string(64, 'c');
const std::string kTrixie = std::string(64, 'd');
const std::string kTrixieRemade = std::string(64, 'e');

std::string recipe(const std::string& kind, const std::string& name, const std::string& more) {
  return "format = 1\nkind = \"" + kind + "\"\nname = \"" + name +
         "\"\nversion = \"1.0-1\"\nmaintainer = \"Cleanroom Tests <tests@example.org>\"\n"
         "snapshot = \"bookworm\"\nrequirements = [\"hello\"]\n" + more;
}

// A wheelhouse recipe and a venv recipe that takes the batch's wheelhouse, and
// a store that holds bookworm (amd64 and i386) and trixie.
struct Batch {
  TempDir dir{"plan-"};
  std::string recipes = dir.path() + "/recipes";
  std::string store = dir.path() + "/store";

  Batch() {
    make_dirs(recipes + "/wh/sources");
    write_file_atomic(recipes + "/wh/sources/hello-1.0.tar.gz", "sdist bytes");
    write_file_atomic(recipes + "/wh/recipe.toml",
                      recipe("wheelhouse", "plan-wheelhouse", "sources = \"sources\"\n"));
    make_dirs(recipes + "/app");
    write_file_atomic(recipes + "/app/recipe.toml",
                      recipe("venv", "plan-app", "description = \"an app\"\n"));
    store::Store s(store);
    fake_snapshot(s, kBookworm, "bookworm");
    fake_snapshot(s, kBookwormI386, "bookworm", "i386");
    fake_snapshot(s, kTrixie, "trixie");
    fake_snapshot(s, kTrixieRemade, "trixie");
    s.write_alias("bookworm", kBookworm);
    s.write_alias("bookworm-i386", kBookwormI386);
    s.write_alias("trixie", kTrixie);
  }

  Plan plan(const NodeBuildOptions& build = {}, bool verify = false) const {
    PlanOptions o;
    o.verify = verify;
    o.root = dir.path();
    o.sources = {recipes};
    o.out_dir = dir.path() + "/out";
    o.store_path = store;
    o.build = build;
    return make_plan(o);
  }
};

// node id -> input hash
std::map<std::string, std::string> hashes(const Plan& plan) {
  std::map<std::string, std::string> out;
  for (const auto& n : plan.nodes) out[n.id] = n.input_hash;
  return out;
}

// Whether the node's command has option, followed by value when one is given.
bool has_arg(const PlanNode& n, const std::string& option, const std::string& value = "") {
  auto it = std::find(n.command.begin(), n.command.end(), option);
  if (it == n.command.end()) return false;
  return value.empty() || (it + 1 != n.command.end() && *(it + 1) == value);
}

void check_every_hash_changed(const Plan& before, const Plan& after) {
  auto a = hashes(before), b = hashes(after);
  REQUIRE(a.size() == 2);
  for (const auto& [id, hash] : a) {
    INFO(id);
    CHECK(b.at(id) != hash);
  }
}

}  // namespace

TEST_CASE("plan: the same inputs give the same hashes") {
  Batch batch;
  CHECK(hashes(batch.plan()) == hashes(batch.plan()));
}

TEST_CASE("plan: -d changes every node's input hash and goes into its command") {
  Batch batch;
  Plan own = batch.plan();
  Plan other = batch.plan({.snapshot = "trixie"});
  check_every_hash_changed(own, other);
  for (const auto& n : other.nodes) CHECK(has_arg(n, "-d", "trixie"));
  // -d naming what the recipes name already is the same build.
  CHECK(hashes(batch.plan({.snapshot = "bookworm"})) == hashes(own));
}

TEST_CASE("plan: a snapshot re-created under the same name changes the hash") {
  Batch batch;
  Plan before = batch.plan({.snapshot = "trixie"});
  store::Store(batch.store).write_alias("trixie", kTrixieRemade);
  check_every_hash_changed(before, batch.plan({.snapshot = "trixie"}));
}

TEST_CASE("plan: --arch changes the hash, the snapshot and the output names") {
  Batch batch;
  Plan native = batch.plan();
  Plan i386 = batch.plan({.arch = "i386"});
  check_every_hash_changed(native, i386);
  for (const auto& n : i386.nodes) {
    CHECK(n.outputs.front().ends_with("_i386.deb"));
    CHECK(has_arg(n, "--arch", "i386"));
  }
}

TEST_CASE("plan: the batch's wheelhouse changes the hash of the venvs built from it") {
  Batch batch;
  Plan before = batch.plan();
  write_file_atomic(batch.recipes + "/wh/sources/hello-1.0.tar.gz", "other sdist bytes");
  Plan after = batch.plan();
  check_every_hash_changed(before, after);
  const PlanNode& app = after.nodes.back();
  REQUIRE(app.id == "plan-app");
  CHECK(has_arg(app, "--wheelhouse", "out/plan-wheelhouse_1.0-1_amd64.deb"));
}

TEST_CASE("plan: --offline and --timeout go into the command but not the hash") {
  Batch batch;
  Plan plain = batch.plan();
  Plan limited = batch.plan({.offline = true, .timeout_seconds = 60});
  CHECK(hashes(limited) == hashes(plain));
  CHECK(has_arg(limited.nodes.front(), "--offline"));
  CHECK(has_arg(limited.nodes.front(), "--timeout", "60"));
}

TEST_CASE("plan: --no-run-lintian reaches every build node but no verify node") {
  Batch batch;
  Plan plain = batch.plan({}, true);
  Plan quiet = batch.plan({.run_lintian = false}, true);
  CHECK(hashes(quiet) == hashes(plain));
  for (const auto& n : plain.nodes) CHECK_FALSE(has_arg(n, "--no-run-lintian"));
  for (const auto& n : quiet.nodes) CHECK(has_arg(n, "--no-run-lintian") == (n.kind != "verify"));
}

TEST_CASE("plan: a snapshot the store lacks is an input error naming the one meant") {
  Batch batch;
  std::string recipe = batch.recipes + "/app/recipe.toml";
  std::string text = read_file(recipe);
  text.replace(text.find("snapshot = \"bookworm\""), 21, "snapshot = \"bookwrom\"");
  write_file_atomic(recipe, text);
  try {
    batch.plan();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    std::string what = e.what();
    CHECK(what.find(recipe) != std::string::npos);
    CHECK(what.find("no snapshot 'bookwrom'") != std::string::npos);
    CHECK(what.find("did you mean 'bookworm'?") != std::string::npos);
    CHECK(what.find("trixie (dddddddddddd)") != std::string::npos);
  }
  CHECK_THROWS_WITH(batch.plan({.snapshot = "trixy"}),
                    Catch::Contains("-d trixy: no snapshot 'trixy'") &&
                        Catch::Contains("did you mean 'trixie'?"));
}

TEST_CASE("plan: commands are portable: plain cleanroom, no store, paths relative to the root") {
  Batch batch;
  Plan plan = batch.plan();
  CHECK(plan.root == real_path(batch.dir.path()));
  const PlanNode& wh = plan.nodes.front();
  CHECK(wh.recipe == "recipes/wh/recipe.toml");
  CHECK(wh.command == std::vector<std::string>{"cleanroom", "build", "recipes/wh/recipe.toml", "--out", "out"});
  for (const auto& n : plan.nodes) {
    CHECK_FALSE(has_arg(n, "--store"));
    for (const auto& arg : n.command) CHECK(arg.find(batch.dir.path()) == std::string::npos);
  }
  std::string json = plan_to_json(plan);
  CHECK(json.find("\"format_version\": 3") != std::string::npos);
  CHECK(json.find("\"out_dir\": \"out\"") != std::string::npos);
}

TEST_CASE("plan: paths outside the root stay absolute") {
  Batch batch;
  TempDir elsewhere("plan-root-");
  PlanOptions o;
  o.root = elsewhere.path();
  o.sources = {batch.recipes};
  o.out_dir = batch.dir.path() + "/out";
  o.store_path = batch.store;
  Plan plan = make_plan(o);
  const PlanNode& wh = plan.nodes.front();
  CHECK(wh.recipe == real_path(batch.recipes + "/wh/recipe.toml"));
  CHECK(has_arg(wh, "--out", batch.dir.path() + "/out"));
}

TEST_CASE("plan: nodes name the snapshot they build in and its id") {
  Batch batch;
  for (const auto& n : batch.plan().nodes) {
    CHECK(n.snapshot == "bookworm");
    CHECK(n.snapshot_id == kBookworm);
  }
  for (const auto& n : batch.plan({.snapshot = "trixie"}).nodes) CHECK(n.snapshot_id == kTrixie);
}

TEST_CASE("plan: --verify adds a verify node after each build, with the build's inputs") {
  Batch batch;
  Plan built = batch.plan({.timeout_seconds = 60});
  Plan proved = batch.plan({.timeout_seconds = 60}, true);
  REQUIRE(built.nodes.size() == 2);
  REQUIRE(proved.nodes.size() == 4);
  // The build nodes are unchanged and come first.
  CHECK(hashes(Plan{"", "", {proved.nodes.begin(), proved.nodes.begin() + 2}}) == hashes(built));
  const PlanNode& wh = proved.nodes[2];
  CHECK(wh.id == "verify-plan-wheelhouse");
  CHECK(wh.kind == "verify");
  CHECK(wh.command == std::vector<std::string>{"cleanroom", "verify", "recipes/wh/recipe.toml",
                                               "--timeout", "60"});
  CHECK(wh.outputs.empty());
  CHECK(wh.depends_on == std::vector<std::string>{"plan-wheelhouse"});
  const PlanNode& app = proved.nodes[3];
  CHECK(app.id == "verify-plan-app");
  // It reads the wheelhouse the build read, so it waits for it too.
  CHECK(has_arg(app, "--wheelhouse", "out/plan-wheelhouse_1.0-1_amd64.deb"));
  CHECK_FALSE(has_arg(app, "--out"));
  CHECK(app.depends_on == std::vector<std::string>{"plan-wheelhouse", "plan-app"});
  // Its own hash, which follows the build's.
  CHECK(app.input_hash != proved.nodes[1].input_hash);
  write_file_atomic(batch.recipes + "/wh/sources/hello-1.0.tar.gz", "other sdist bytes");
  Plan changed = batch.plan({}, true);
  CHECK(changed.nodes[3].input_hash != app.input_hash);
  std::string json = plan_to_json(proved);
  CHECK(json.find("\"kind\": \"verify\"") != std::string::npos);
}

TEST_CASE("plan: a recipe named like another's verify node is an input error") {
  Batch batch;
  make_dirs(batch.recipes + "/clash");
  write_file_atomic(batch.recipes + "/clash/recipe.toml",
                    recipe("venv", "verify-plan-app", "description = \"a clash\"\n"));
  CHECK_NOTHROW(batch.plan());
  CHECK_THROWS_WITH(batch.plan({}, true),
                    Catch::Contains("'verify-plan-app'") && Catch::Contains("rename it"));
}
