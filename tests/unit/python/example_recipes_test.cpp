// The example recipes in recipes/ walked through every pure step of their
// pipelines, with the METADATA and entry points of the fixture projects in
// tests/data/python (built from tests/data/python/projects with pip wheel).
#include <catch2/catch.hpp>
#include <filesystem>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/entry_points.h"
#include "cleanroom/python/pip_invocation.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_requirements.h"
#include "cleanroom/python/resolver.h"
#include "cleanroom/python/wheelhouse_lock.h"

using namespace cleanroom;
using namespace cleanroom::python;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(CLEANROOM_TEST_DATA) + "/python";
const std::string kRecipes = std::string(CLEANROOM_TEST_DATA) + "/../../recipes";
const std::string kGreetWheel = "greet_svc-1.0.0-py3-none-any.whl";
const std::string kHelloWheel = "hello_cli-0.1.0-py3-none-any.whl";

// A copy of recipes/ where the wheelhouse's sources directory exists.
struct RecipesCopy {
  TempDir dir;
  RecipesCopy() {
    fs::copy(kRecipes, dir.path(), fs::copy_options::recursive);
    make_dirs(dir.path() + "/demo-wheelhouse/sources");
  }
  std::string recipe(const std::string& name) const {
    return dir.path() + "/" + name + "/recipe.toml";
  }
};

// The METADATA of the fixture wheels, as the build would read it from each wheel.
void add_metadata(std::vector<Distribution>& distributions) {
  for (auto& d : distributions) {
    if (d.kind != Distribution::Kind::Wheel) continue;
    std::string stem = d.filename.substr(0, d.filename.size() - 4);
    d.set_metadata(
        parse_core_metadata(read_file(kData + "/metadata/" + stem + ".METADATA"), d.filename));
  }
}

std::vector<Distribution> with_metadata(const std::vector<std::string>& files) {
  auto distributions = distributions_from_filenames(files).distributions;
  add_metadata(distributions);
  return distributions;
}

ResolveInput input_for(const Recipe& r, std::vector<Distribution> available) {
  ResolveInput in;
  RecipeRequirements wanted = read_recipe_requirements(r);
  in.requirements = wanted.requirements;
  in.constraints = wanted.constraints;
  in.available = std::move(available);
  in.environment = MarkerEnvironment::linux_cpython("3.11.2");
  return in;
}

}  // namespace

TEST_CASE("every example recipe loads, with its files in place") {
  RecipesCopy copy;
  for (const char* name : {"demo-wheelhouse", "hello-cli", "greet-svc"}) {
    INFO(name);
    CHECK_NOTHROW(load_recipe(copy.recipe(name)));
  }
  Recipe greet = load_recipe(copy.recipe("greet-svc"));
  CHECK(greet.version == "1:1.0.0-1");
  CHECK(greet.venv.maintainer_scripts.count("postinst"));
  CHECK(greet.venv.systemd_units.size() == 1);
}

TEST_CASE("demo wheelhouse: sdists first, then a complete plan of wheels") {
  RecipesCopy copy;
  Recipe wh = load_recipe(copy.recipe("demo-wheelhouse"));
  // Round one: only sdists in sources/, so both must be built and the
  // dependencies are not known yet.
  Plan first =
      resolve(input_for(wh, with_metadata({"hello-cli-0.1.0.tar.gz", "greet-svc-1.0.0.tar.gz"})));
  REQUIRE(first.sdists().size() == 2);
  CHECK_FALSE(first.complete());
  // Round two: the built wheels join the sources.
  Plan second =
      resolve(input_for(wh, with_metadata({"hello-cli-0.1.0.tar.gz", "greet-svc-1.0.0.tar.gz",
                                           kGreetWheel, kHelloWheel})));
  CHECK(second.complete());
  REQUIRE(second.wheels().size() == 2);
  CHECK(second.find("hello-cli")->required_by.size() == 2);  // the file and greet-svc
}

TEST_CASE("greet-svc venv: pinned, hashed install from the wheelhouse lock") {
  RecipesCopy copy;
  Recipe venv = load_recipe(copy.recipe("greet-svc"));
  TempDir wheelhouse;
  write_file_atomic(wheelhouse.path() + "/" + kGreetWheel, "greet wheel bytes");
  write_file_atomic(wheelhouse.path() + "/" + kHelloWheel, "hello wheel bytes");
  WheelhouseLock lock = lock_directory(wheelhouse.path());

  std::vector<Distribution> locked = lock_distributions(lock);
  REQUIRE(locked.size() == 2);
  CHECK(locked[0].sha256 == lock.entries[0].sha256);
  add_metadata(locked);
  Plan plan = resolve(input_for(venv, locked));
  REQUIRE(plan.entries.size() == 2);
  std::string pinned = pinned_requirements(plan, lock);
  CHECK_THAT(pinned,
             Catch::Contains("greet-svc==1.0.0 --hash=sha256:" + lock.find("greet-svc")->sha256));
  CHECK_THAT(pinned,
             Catch::Contains("hello-cli==0.1.0 --hash=sha256:" + lock.find("hello-cli")->sha256));
  REQUIRE(venv.venv.links);
  CHECK(venv.venv.links->at(1).target == "/opt/venvs/greet-svc/bin/hello");
}

TEST_CASE("hello-cli venv: default links are the console scripts of its requirements") {
  RecipesCopy copy;
  Recipe venv = load_recipe(copy.recipe("hello-cli"));
  REQUIRE_FALSE(venv.venv.links);
  std::map<std::string, std::string> entry_points{
      {"hello-cli", read_file(kData + "/metadata/hello_cli-0.1.0-py3-none-any.entry_points.txt")},
      {"greet-svc", read_file(kData + "/metadata/greet_svc-1.0.0-py3-none-any.entry_points.txt")}};
  auto env = MarkerEnvironment::linux_cpython("3.11.2");
  auto links = venv_links(venv, read_recipe_requirements(venv).requirements, env, entry_points);
  REQUIRE(links.size() == 1);
  CHECK(links[0].target == "/opt/venvs/hello-cli/bin/hello");
  CHECK(links[0].link == "/usr/bin/hello");

  // Two top-level distributions with the same script name cannot both own /usr/bin/hello.
  entry_points["greet-svc"] = "[console_scripts]\nhello = greet_svc:main\n";
  venv.venv.requirements.inline_requirements.push_back(Requirement::parse("greet-svc"));
  auto both = read_recipe_requirements(venv).requirements;
  CHECK_THROWS_WITH(
      venv_links(venv, both, env, entry_points),
      Catch::Contains("console script 'hello' comes from both hello-cli and greet-svc"));

  // A recipe's explicit links win.
  Recipe greet = load_recipe(copy.recipe("greet-svc"));
  CHECK(venv_links(greet, read_recipe_requirements(greet).requirements, env, entry_points).size() ==
        2);
}
