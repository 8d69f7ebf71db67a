#include "cleanroom/python/recipe.h"

#include <catch2/catch.hpp>
#include <functional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/recipe_requirements.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
}

const char* kWheelhouse = R"TOML(
kind = "wheelhouse"
name = "demo-wheelhouse"
version = "2024.1-1"
maintainer = "Ops Team <ops@example.org>"
snapshot = "bookworm"
build_packages = ["gcc", "python3-dev", "libffi-dev (>= 3)"]
sources = "sources"
requirements = "requirements.txt"
constraints = "shared/upper-constraints.txt"
allow_pure_fallback = ["PyYAML", "markupsafe"]
)TOML";

const char* kVenv = R"TOML(
kind = "venv"
name = "greet-svc"
version = "1:1.0-1"
maintainer = "Ops Team <ops@example.org>"
description = "greeting service"
snapshot = "bookworm"
wheelhouse = "wheelhouse/out/demo-wheelhouse_2024.1-1_amd64.deb"
requirements = ["greet-svc[server] >= 1.0", "hello-cli; python_version >= '3.9'"]
depends = ["python3 (>= 3.11)", "adduser"]
systemd_units = ["greet.service"]

[maintainer_scripts]
postinst = "debian/postinst"

[test]
commands = ["greet --version", "greet-svc --check"]
timeout = 60
)TOML";

}  // namespace

TEST_CASE("wheelhouse recipe parses with defaults and resolved paths") {
  Recipe r = parse_recipe(kWheelhouse, "/srv/recipes/wh/recipe.toml");
  CHECK(r.kind == RecipeKind::Wheelhouse);
  CHECK(r.name == "demo-wheelhouse");
  CHECK(r.version == "2024.1-1");
  CHECK(r.dir == "/srv/recipes/wh");
  CHECK(r.description == "Python wheelhouse demo-wheelhouse");
  CHECK(r.python == "/usr/bin/python3");
  CHECK(r.architecture == "any");
  CHECK_FALSE(r.source_date_epoch);
  CHECK(r.wheelhouse.sources.resolved == "/srv/recipes/wh/sources");
  CHECK(r.wheelhouse.requirements.file.resolved == "/srv/recipes/wh/requirements.txt");
  CHECK(r.wheelhouse.constraints.resolved == "/srv/recipes/wh/shared/upper-constraints.txt");
  CHECK(r.wheelhouse.install_path == "/opt/wheelhouses/demo-wheelhouse");
  CHECK(r.wheelhouse.allow_pure_fallback == std::vector<std::string>{"markupsafe", "pyyaml"});
  CHECK(r.build_packages.size() == 3);
}

TEST_CASE("venv recipe parses inline requirements, scripts, units and tests") {
  Recipe r = parse_recipe(kVenv, "/srv/recipes/greet/recipe.toml");
  CHECK(r.kind == RecipeKind::Venv);
  CHECK(r.version == "1:1.0-1");
  CHECK(r.venv.venv_path == "/opt/venvs/greet-svc");
  CHECK(r.venv.wheelhouse_is_deb);
  CHECK_FALSE(r.venv.links.has_value());
  REQUIRE(r.venv.requirements.inline_requirements.size() == 2);
  CHECK(r.venv.requirements.inline_requirements[0].key == "greet-svc");
  CHECK(r.venv.requirements.inline_requirements[0].origin == "/srv/recipes/greet/recipe.toml:9");
  CHECK(r.venv.requirements.file.empty());
  CHECK(r.venv.depends == std::vector<std::string>{"python3 (>= 3.11)", "adduser"});
  REQUIRE(r.venv.maintainer_scripts.count("postinst"));
  CHECK(r.venv.maintainer_scripts.at("postinst").resolved == "/srv/recipes/greet/debian/postinst");
  REQUIRE(r.venv.systemd_units.size() == 1);
  REQUIRE(r.venv.test);
  CHECK(r.venv.test->commands.size() == 2);
  CHECK(r.venv.test->timeout_seconds == 60);
}

TEST_CASE("venv bytecode and pip options default to checked-hash .pyc and no pip") {
  Recipe r = parse_recipe(kVenv, "/srv/recipes/greet/recipe.toml");
  CHECK(r.venv.bytecode);
  CHECK_FALSE(r.venv.include_pip);
  std::string text = std::string(kVenv);
  text.insert(text.find("[maintainer_scripts]"), "bytecode = false\ninclude_pip = true\n");
  Recipe changed = parse_recipe(text, "/srv/recipes/greet/recipe.toml");
  CHECK_FALSE(changed.venv.bytecode);
  CHECK(changed.venv.include_pip);
  CHECK(recipe_hash(changed) != recipe_hash(r));
  std::string bad = std::string(kVenv);
  bad.insert(bad.find("[maintainer_scripts]"), "bytecode = \"no\"\n");
  try {
    parse_recipe(bad, "r.toml");
    FAIL("a string for bytecode was accepted");
  } catch (const cleanroom::Error& e) {
    CHECK(std::string(e.what()).find("r.toml:") != std::string::npos);
    CHECK(std::string(e.what()).find("bytecode") != std::string::npos);
  }
}

TEST_CASE("package documents: long_description, licenses and allow_lintian_errors") {
  Recipe r = parse_recipe(kVenv, "/srv/recipes/greet/recipe.toml");
  CHECK(r.long_description.empty());
  CHECK_FALSE(r.licenses_strict);
  CHECK_FALSE(r.allow_lintian_errors);
  std::string text = std::string(kVenv);
  text.insert(text.find("[maintainer_scripts]"),
              "long_description = \"Runs the greeter.\"\nlicenses = \"strict\"\n"
              "allow_lintian_errors = true\n");
  Recipe changed = parse_recipe(text, "/srv/recipes/greet/recipe.toml");
  CHECK(changed.long_description == "Runs the greeter.");
  CHECK(changed.licenses_strict);
  CHECK(changed.allow_lintian_errors);
  CHECK_FALSE(r.venv.debug_symbols);
  std::string debug = std::string(kVenv);
  debug.insert(debug.find("[maintainer_scripts]"), "debug_symbols = true\n");
  Recipe with_debug = parse_recipe(debug, "/srv/recipes/greet/recipe.toml");
  CHECK(with_debug.venv.debug_symbols);
  CHECK(recipe_hash(with_debug) != recipe_hash(r));
  // The description is in the .deb; the policies only decide pass or fail.
  CHECK(recipe_hash(changed) != recipe_hash(r));
  std::string policies = std::string(kVenv);
  policies.insert(policies.find("[maintainer_scripts]"), "licenses = \"warn\"\n");
  CHECK(recipe_hash(parse_recipe(policies, "/srv/recipes/greet/recipe.toml")) == recipe_hash(r));
  std::string bad = std::string(kVenv);
  bad.insert(bad.find("[maintainer_scripts]"), "licenses = \"lax\"\n");
  CHECK_THAT(input_error_of([&] { parse_recipe(bad, "r.toml"); }),
             Catch::Contains("r.toml:") && Catch::Contains("licenses = \"lax\" is neither"));
}

TEST_CASE("explicit links resolve against the venv path") {
  std::string text = std::string(kVenv);
  text.insert(text.find("[maintainer_scripts]"),
              "venv_path = \"/opt/venvs/greet\"\n"
              "links = [{ target = \"bin/greet\", link = \"/usr/bin/greet\" },\n"
              "         { target = \"/etc/greet/x.conf\", link = \"/etc/greet.conf\" }]\n");
  Recipe r = parse_recipe(text, "r.toml");
  REQUIRE(r.venv.links);
  REQUIRE(r.venv.links->size() == 2);
  CHECK((*r.venv.links)[0].target == "/opt/venvs/greet/bin/greet");
  CHECK((*r.venv.links)[0].link == "/usr/bin/greet");
  CHECK((*r.venv.links)[1].target == "/etc/greet/x.conf");
}

TEST_CASE("a recipe with several mistakes reports all of them with lines") {
  const char* text = R"TOML(kind = "wheelhouse"
name = "Bad_Name"
version = "one"
snapshot = 12
sorces = "sources"
requirements = ["ok>=1", "bad @ https://x/y.whl", 3]
venv_path = "/opt/venvs/x"
)TOML";
  std::string msg = input_error_of([&] { parse_recipe(text, "wh.toml"); });
  CHECK_THAT(msg, Catch::Contains("wh.toml:2: name \"Bad_Name\" is not a Debian package name"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:3: version \"one\" is not a Debian version"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:1: missing required key maintainer"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:4: snapshot must be a string, not an integer"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:1: missing required key sources"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:5: unknown key sorces; did you mean 'sources'?"));
  CHECK_THAT(
      msg,
      Catch::Contains(
          "wh.toml:6: 'bad @ https://x/y.whl' is a URL or path, which is not allowed offline"));
  CHECK_THAT(msg,
             Catch::Contains("wh.toml:6: requirements must hold only strings, not an integer"));
  CHECK_THAT(msg, Catch::Contains("wh.toml:7: key venv_path belongs to venv recipes"));
  CHECK(line_count(msg) == 9);
}

TEST_CASE("versions and relations are checked as dpkg reads them") {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kWheelhouse;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  auto ok = [](const std::string& text) {
    try {
      parse_recipe(text, "wh.toml");
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  CHECK(ok(with("2024.1-1", "1:2.0~rc1+dfsg-1")));
  CHECK_FALSE(ok(with("2024.1-1", " 2024.1-1")));
  CHECK_FALSE(ok(with("2024.1-1", "2024.1-")));
  CHECK_FALSE(ok(with("2024.1-1", "x:1.0")));
  CHECK(ok(with("\"gcc\"", "\"gcc | clang:native (>= 14) [amd64]\"")));
  for (const char* bad :
       {"gcc, make", "gcc (>= ", "Gcc", "${misc:Depends}", "gcc | ", "gcc make"}) {
    std::string text = with("\"gcc\"", std::string("\"") + bad + "\"");
    std::string msg = input_error_of([&] { parse_recipe(text, "wh.toml"); });
    CHECK_THAT(msg, Catch::Contains(std::string("wh.toml:7: build_packages entry \"") + bad +
                                    "\" is not a Debian package relation"));
  }
}

TEST_CASE("recipe kind, format and syntax problems") {
  CHECK_THAT(
      input_error_of([] { parse_recipe("name = \"x\"\n", "a.toml"); }),
      Catch::Contains(
          "a.toml:1: missing required key kind; add kind = \"wheelhouse\" or kind = \"venv\""));
  CHECK_THAT(input_error_of([] { parse_recipe("kind = \"deb\"\n", "a.toml"); }),
             Catch::Contains("a.toml:1: kind = \"deb\" is unknown"));
  CHECK_THAT(input_error_of([] { parse_recipe("format = 2\nkind = \"venv\"\n", "a.toml"); }),
             Catch::Contains("a.toml:1: recipe format 2 is not supported"));
  CHECK_THAT(input_error_of([] { parse_recipe("kind = \"venv\"\nname = \n", "a.toml"); }),
             Catch::Contains("a.toml:2: "));
}

TEST_CASE("venv recipe problems in sub-tables carry their lines") {
  std::string text = kVenv;
  text.replace(text.find("timeout = 60"), 12, "timeout = -1\nretries = 3");
  text.replace(text.find("postinst ="), 8, "postinstt");
  text += "links = [\"bin/greet\"]\n";
  text.replace(text.find("greet.service"), 13, "greet.conf");
  // links after [test] belongs to the test table: another unknown key there.
  // Lines are in file order whatever order the checks ran in.
  std::string msg = input_error_of([&] { parse_recipe(text, "v.toml"); });
  CHECK_THAT(msg, Catch::Contains("v.toml:11: systemd unit \"greet.conf\" must be a unit file"));
  CHECK_THAT(msg,
             Catch::Contains(
                 "v.toml:14: unknown key maintainer_scripts.postinstt; did you mean 'postinst'?"));
  CHECK_THAT(msg, Catch::Contains("v.toml:18: test.timeout must be a positive number"));
  CHECK_THAT(msg, Catch::Contains("v.toml:19: unknown key test.retries"));
  CHECK_THAT(msg, Catch::Contains("v.toml:20: unknown key test.links"));
  CHECK(msg.find("v.toml:11:") < msg.find("v.toml:14:"));
  CHECK(msg.find("v.toml:19:") < msg.find("v.toml:20:"));
}

TEST_CASE("recipe hash ignores form and location, follows meaning") {
  Recipe a = parse_recipe(kWheelhouse, "/a/recipe.toml");
  std::string reordered = std::string(kWheelhouse) + "\n# a comment\n";
  Recipe b = parse_recipe(reordered, "/elsewhere/other.toml");
  CHECK(recipe_hash(a) == recipe_hash(b));

  std::string explicit_default = std::string(kWheelhouse) +
                                 "install_path = \"/opt/wheelhouses/demo-wheelhouse\"\n"
                                 "python = \"/usr/bin/python3\"\n";
  CHECK(recipe_hash(parse_recipe(explicit_default, "/a/r.toml")) == recipe_hash(a));

  std::string spelled = kWheelhouse;
  spelled.replace(spelled.find("\"sources\""), 9, "\"./sources/\"");
  CHECK(recipe_hash(parse_recipe(spelled, "/a/r.toml")) == recipe_hash(a));

  std::string changed = kWheelhouse;
  changed.replace(changed.find("2024.1-1"), 8, "2024.1-2");
  CHECK(recipe_hash(parse_recipe(changed, "/a/r.toml")) != recipe_hash(a));
  std::string pure = kWheelhouse;
  pure.replace(pure.find("\"PyYAML\", "), 10, "");
  CHECK(recipe_hash(parse_recipe(pure, "/a/r.toml")) != recipe_hash(a));
  CHECK(recipe_hash(parse_recipe(kVenv, "/a/r.toml")) != recipe_hash(a));
}

TEST_CASE("load_recipe checks the named files and reports parse and path problems together") {
  TempDir dir;
  make_dirs(dir.path() + "/sources");
  write_file_atomic(dir.path() + "/requirements.txt", "six\n");
  std::string text = kWheelhouse;
  text.replace(text.find("allow_pure_fallback"), 19, "allow_pure_fallbak");
  write_file_atomic(dir.path() + "/recipe.toml", text);
  std::string msg = input_error_of([&] { load_recipe(dir.path() + "/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("unknown key allow_pure_fallbak"));
  CHECK_THAT(
      msg, Catch::Contains(":10: constraints \"shared/upper-constraints.txt\" does not exist"));
  CHECK(line_count(msg) == 2);

  text = kWheelhouse;
  text.replace(text.find("shared/upper-constraints.txt"), 28, "sources");
  write_file_atomic(dir.path() + "/recipe.toml", text);
  CHECK_THAT(input_error_of([&] { load_recipe(dir.path() + "/recipe.toml"); }),
             Catch::Contains("constraints \"sources\" is not a regular file"));

  text.replace(text.find("constraints = \"sources\""), 23, "constraints = \"requirements.txt\"");
  write_file_atomic(dir.path() + "/recipe.toml", text);
  Recipe r = load_recipe(dir.path() + "/recipe.toml");
  CHECK(r.wheelhouse.constraints.resolved == dir.path() + "/requirements.txt");

  CHECK_THAT(input_error_of([&] { load_recipe(dir.path() + "/missing.toml"); }),
             Catch::Contains("missing.toml"));
}

TEST_CASE("load_recipe reports mistakes inside the requirement files with the recipe's") {
  TempDir dir;
  make_dirs(dir.path() + "/sources");
  write_file_atomic(dir.path() + "/requirements.txt", "six\n-e ./local\n-c more-upper.txt\n");
  write_file_atomic(dir.path() + "/more-upper.txt", "six[x]==1\n");
  write_file_atomic(dir.path() + "/upper.txt", "six==1.16.0\nbad line here\n");
  std::string text = kWheelhouse;
  text.replace(text.find("shared/upper-constraints.txt"), 28, "upper.txt");
  write_file_atomic(dir.path() + "/recipe.toml", text);
  std::string msg = input_error_of([&] { load_recipe(dir.path() + "/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("requirements.txt:2: -e is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("more-upper.txt:1: constraints cannot name extras"));
  CHECK_THAT(msg, Catch::Contains("upper.txt:2: 'bad line here'"));
  CHECK(line_count(msg) == 3);

  write_file_atomic(dir.path() + "/requirements.txt", "six\n-c more-upper.txt\n");
  write_file_atomic(dir.path() + "/more-upper.txt", "six<2\n");
  write_file_atomic(dir.path() + "/upper.txt", "six==1.16.0\n");
  Recipe r = load_recipe(dir.path() + "/recipe.toml");
  RecipeRequirements wanted = read_recipe_requirements(r);
  REQUIRE(wanted.requirements.size() == 1);
  REQUIRE(wanted.constraints.size() == 2);
  CHECK(wanted.constraints[0].str() == "six<2");
  CHECK(wanted.constraints[1].str() == "six==1.16.0");
}
