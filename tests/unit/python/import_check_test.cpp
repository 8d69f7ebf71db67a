#include "cleanroom/python/import_check.h"

#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/python/recipe.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

TEST_CASE("module names are dotted identifiers") {
  CHECK(is_module_name("yaml"));
  CHECK(is_module_name("oslo_config.cfg"));
  CHECK(is_module_name("_cffi_backend"));
  CHECK_FALSE(is_module_name(""));
  CHECK_FALSE(is_module_name("a..b"));
  CHECK_FALSE(is_module_name("a."));
  CHECK_FALSE(is_module_name("1a"));
  CHECK_FALSE(is_module_name("greet-svc"));
  CHECK_FALSE(is_module_name("os; rm -rf /"));
}

TEST_CASE("a wheel's top-level modules are its packages, modules and extensions") {
  std::vector<std::string> members = {
      "greet/__init__.py",    "greet/cli.py",
      "six.py",               "_speedups.cpython-311-x86_64-linux-gnu.so",
      "ns/sub/__init__.py",   "greet-1.0.dist-info/METADATA",
      "greet-1.0.data/scripts/x.py", "README.txt"};
  CHECK(wheel_top_level_modules(members) ==
        std::vector<std::string>{"_speedups", "greet", "six"});
}

TEST_CASE("import targets: console scripts' modules, top-level modules, then the recipe's") {
  auto env = MarkerEnvironment::linux_cpython("3.11.2", "x86_64");
  std::vector<Requirement> top = {Requirement::parse("Greet-Svc"),
                                  Requirement::parse("winonly; sys_platform == 'win32'"),
                                  Requirement::parse("greet-svc")};
  std::map<std::string, WheelModules> wheels = {
      {"greet-svc",
       {"[console_scripts]\ngreet-svc = greet_svc.cli:main\nhello = greet_svc.hello:run [x]\n"
        "greet-main = greet_svc.__main__:main\n",
        {"greet_svc/__init__.py", "greet_svc/cli.py"}}},
      {"winonly", {"", {"winonly/__init__.py"}}}};
  auto got = import_targets(top, env, wheels, {"pkg_resources", "greet_svc"});
  // A script in pkg.__main__ is checked by importing pkg: importing __main__ runs it.
  CHECK(got == std::vector<ImportTarget>{{"greet-svc", "greet_svc.cli"},
                                         {"greet-svc", "greet_svc.hello"},
                                         {"greet-svc", "greet_svc"},
                                         {"", "pkg_resources"}});
}

TEST_CASE("a missing pkg_resources points at include_pip or setuptools") {
  CHECK(import_failure_fix("pkg_resources").find("include_pip = true") != std::string::npos);
  CHECK(import_failure_fix("pkg_resources.extern").find("add setuptools") != std::string::npos);
  CHECK(import_failure_fix("yaml").find("provides 'yaml'") != std::string::npos);
}

TEST_CASE("import_check is on by default, a recipe turns it off or adds modules") {
  std::string head = R"TOML(
kind = "venv"
name = "svc"
version = "1.0-1"
maintainer = "Ops Team <ops@example.org>"
description = "svc"
snapshot = "bookworm"
requirements = ["svc"]
)TOML";
  Recipe r = parse_recipe(head, "/r/recipe.toml");
  CHECK(r.venv.import_check);
  CHECK(r.venv.import_check_modules.empty());
  Recipe off = parse_recipe(head + "import_check = false\n", "/r/recipe.toml");
  CHECK_FALSE(off.venv.import_check);
  CHECK(recipe_hash(off) != recipe_hash(r));
  Recipe more = parse_recipe(head + "import_check_modules = [\"svc.plugins\"]\n", "/r/recipe.toml");
  CHECK(more.venv.import_check_modules == std::vector<std::string>{"svc.plugins"});
  CHECK(recipe_hash(more) != recipe_hash(r));
  std::string msg = input_error_of(
      [&] { parse_recipe(head + "import_check_modules = [\"svc-plugins\"]\n", "recipe.toml"); });
  CHECK(msg.find("recipe.toml:9: import_check_modules entry \"svc-plugins\" is not a module name") !=
        std::string::npos);
}
