#include "cleanroom/python/build_env.h"

#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/python/recipe.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

const std::string kHead = R"TOML(
kind = "wheelhouse"
name = "wh"
version = "1.0-1"
maintainer = "Ops Team <ops@example.org>"
snapshot = "bookworm"
sources = "sources"
requirements = ["xxhash", "PyYAML"]
)TOML";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("build_env sets variables for every sdist and per distribution") {
  Recipe r = parse_recipe(kHead + R"TOML(
[build_env]
CFLAGS = "-O2"
[build_env.XXHash]
XXHASH_LINK_SO = "1"
CFLAGS = "-O1"
)TOML",
                          "/r/recipe.toml");
  const BuildEnv& env = r.wheelhouse.build_env;
  CHECK(env.all == EnvTable{{"CFLAGS", "-O2"}});
  REQUIRE(env.distribution.count("xxhash") == 1);
  CHECK(build_env_for(env, "xxhash") == EnvTable{{"CFLAGS", "-O1"}, {"XXHASH_LINK_SO", "1"}});
  CHECK(build_env_for(env, "pyyaml") == EnvTable{{"CFLAGS", "-O2"}});
  auto record = build_env_record(env);
  CHECK(record == std::vector<std::pair<std::string, std::string>>{
                      {"CFLAGS", "-O2"}, {"xxhash:CFLAGS", "-O1"}, {"xxhash:XXHASH_LINK_SO", "1"}});
}

TEST_CASE("build_env refuses names that break hermeticity, with line and fix") {
  std::string msg = input_error_of([] {
    parse_recipe(kHead + R"TOML(
[build_env]
PIP_INDEX_URL = "https://pypi.example.org/simple"
https_proxy = "http://proxy:3128"
PYTHONPATH = "/srv/lib"
LD_PRELOAD = "/tmp/x.so"
SOURCE_DATE_EPOCH = "1"
HOME = "/root"
[build_env.xxhash]
PATH = "/opt/bin:/usr/bin"
All_Proxy = "socks5://x"
"BAD NAME" = "1"
LEVEL = 3
MULTI = "a\nb"
)TOML",
                 "recipe.toml");
  });
  CHECK(contains(msg, "recipe.toml:11: build_env.PIP_INDEX_URL may not be set"));
  CHECK(contains(msg, "recipe.toml:12: build_env.https_proxy may not be set"));
  CHECK(contains(msg, "recipe.toml:13: build_env.PYTHONPATH may not be set"));
  CHECK(contains(msg, "recipe.toml:14: build_env.LD_PRELOAD may not be set"));
  CHECK(contains(msg, "recipe.toml:15: build_env.SOURCE_DATE_EPOCH may not be set: set "
                      "source_date_epoch"));
  CHECK(contains(msg, "recipe.toml:16: build_env.HOME may not be set"));
  CHECK(contains(msg, "recipe.toml:18: build_env.xxhash.PATH may not be set"));
  CHECK(contains(msg, "build_packages"));
  CHECK(contains(msg, "recipe.toml:19: build_env.xxhash.All_Proxy may not be set"));
  CHECK(contains(msg, "BAD NAME is not an environment variable name"));
  CHECK(contains(msg, "build_env.xxhash.LEVEL must be a string"));
  CHECK(contains(msg, "build_env.xxhash.MULTI holds a control character"));
}

TEST_CASE("build_env is for wheelhouse recipes, a venv recipe refuses it") {
  std::string msg = input_error_of([] {
    parse_recipe(R"TOML(
kind = "venv"
name = "svc"
version = "1.0-1"
maintainer = "Ops Team <ops@example.org>"
description = "svc"
snapshot = "bookworm"
requirements = ["svc"]
[build_env]
CFLAGS = "-O2"
)TOML",
                 "recipe.toml");
  });
  CHECK(contains(msg, "build_env belongs to wheelhouse recipes"));
}

TEST_CASE("a per-distribution build_env naming no requirement is reported with a guess") {
  Recipe r = parse_recipe(kHead + "[build_env.xxhsah]\nXXHASH_LINK_SO = \"1\"\n"
                                  "[build_env.nothing-like-it]\nX = \"1\"\n",
                          "recipe.toml");
  auto problems =
      unknown_build_env_distributions(r.wheelhouse.build_env, {"xxhash", "pyyaml"}, "recipe.toml");
  REQUIRE(problems.size() == 2);
  CHECK(contains(problems[0], "recipe.toml:11: [build_env.nothing-like-it] names a distribution "
                              "that is not in the requirements"));
  CHECK(contains(problems[1], "recipe.toml:9: [build_env.xxhsah]"));
  CHECK(contains(problems[1], "did you mean 'xxhash'?"));
  CHECK(unknown_build_env_distributions(r.wheelhouse.build_env, {"xxhsah", "nothing-like-it"},
                                        "recipe.toml")
            .empty());
}

TEST_CASE("build_env counts in the recipe hash, its order does not") {
  std::string base = kHead + "[build_env]\nA = \"1\"\nB = \"2\"\n";
  std::string reordered = kHead + "[build_env]\nB = \"2\"\nA = \"1\"\n";
  std::string changed = kHead + "[build_env]\nA = \"1\"\nB = \"3\"\n";
  std::string moved = kHead + "[build_env]\nA = \"1\"\n[build_env.xxhash]\nB = \"2\"\n";
  std::string h = recipe_hash(parse_recipe(base, "/a/r.toml"));
  CHECK(recipe_hash(parse_recipe(reordered, "/a/r.toml")) == h);
  CHECK(recipe_hash(parse_recipe(changed, "/a/r.toml")) != h);
  CHECK(recipe_hash(parse_recipe(moved, "/a/r.toml")) != h);
  CHECK(recipe_hash(parse_recipe(kHead, "/a/r.toml")) != h);
  CHECK(recipe_hash(parse_recipe(kHead + "[build_env]\n", "/a/r.toml")) ==
        recipe_hash(parse_recipe(kHead, "/a/r.toml")));
}
