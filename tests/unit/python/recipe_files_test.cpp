// A recipe is a contributor's: every file it names is taken beneath its own
// directory, never from the host, and what a message quotes of such a file is
// short and escaped.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_files.h"
#include "cleanroom/python/recipe_requirements.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

const std::string kSecret = "root:$y$j9T$hostsecrethash:19000:0:99999:7:::";

const char* kVenvHead = R"TOML(kind = "venv"
name = "pwn"
version = "1.0-1"
maintainer = "Mallory <m@example.org>"
description = "hostile"
snapshot = "bookworm"
)TOML";

// A recipe directory and, beside it, a "host" directory holding a secret.
struct Setup {
  TempDir host;
  TempDir dir;
  Setup() {
    write_file_atomic(host.path() + "/shadow", kSecret + "\nsecond:line:secret\n", 0600);
    make_dirs(host.path() + "/sources");
  }
  std::string recipe(const std::string& body) const {
    write_file_atomic(dir.path() + "/recipe.toml", std::string(kVenvHead) + body);
    return dir.path() + "/recipe.toml";
  }
  std::string shadow() const { return host.path() + "/shadow"; }
};

}  // namespace

TEST_CASE("recipe paths outside the recipe's directory are refused at parse, with FILE:LINE") {
  std::string text = std::string(kVenvHead) + R"TOML(requirements = "/etc/shadow"
constraints = "../../etc/passwd"
wheelhouse = "/srv/wh.deb"
systemd_units = ["sub/../../x.service"]
[maintainer_scripts]
postinst = "/etc/shadow"
prerm = "a/../../b"
config = "ok/../fine"
)TOML";
  std::string msg = input_error_of([&] { parse_recipe(text, "/r/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("/r/recipe.toml:7: requirements \"/etc/shadow\" must name a "
                                  "path beneath the recipe's directory"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:8: constraints \"../../etc/passwd\" must name"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:9: wheelhouse \"/srv/wh.deb\" must name"));
  CHECK_THAT(msg, Catch::Contains("--wheelhouse"));
  CHECK_THAT(msg,
             Catch::Contains("recipe.toml:10: systemd_units \"sub/../../x.service\" must name"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:12: maintainer_scripts.postinst \"/etc/shadow\""));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:13: maintainer_scripts.prerm \"a/../../b\""));
  CHECK_THAT(msg, !Catch::Contains("maintainer_scripts.config"));  // stays beneath
  std::string wheelhouse = R"TOML(kind = "wheelhouse"
name = "wh"
version = "1.0-1"
maintainer = "Mallory <m@example.org>"
snapshot = "bookworm"
sources = "/"
requirements = "x/../../requirements.txt"
)TOML";
  msg = input_error_of([&] { parse_recipe(wheelhouse, "/r/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("recipe.toml:6: sources \"/\" must name"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:7: requirements \"x/../../requirements.txt\""));
}

TEST_CASE("a recipe's file that is a link out, a FIFO or a second link is refused, unread") {
  Setup s;
  REQUIRE(::symlink(s.shadow().c_str(), (s.dir.path() + "/postinst").c_str()) == 0);
  REQUIRE(::mkfifo((s.dir.path() + "/pwn.service").c_str(), 0644) == 0);
  REQUIRE(::link(s.shadow().c_str(), (s.dir.path() + "/reqs.txt").c_str()) == 0);
  REQUIRE(::symlink(s.host.path().c_str(), (s.dir.path() + "/lib").c_str()) == 0);
  std::string file = s.recipe(R"TOML(requirements = "reqs.txt"
constraints = "lib/shadow"
systemd_units = ["pwn.service"]
[maintainer_scripts]
postinst = "postinst"
)TOML");
  std::string msg = input_error_of([&] { load_recipe(file); });
  CHECK_THAT(msg, Catch::Contains("recipe.toml:7: requirements \"reqs.txt\" is refused"));
  CHECK_THAT(msg, Catch::Contains("hard links"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:8: constraints \"lib/shadow\" is refused"));
  CHECK_THAT(msg, Catch::Contains("recipe.toml:9: systemd_units \"pwn.service\" is refused"));
  CHECK_THAT(msg, Catch::Contains("a FIFO"));
  CHECK_THAT(msg, Catch::Contains(
                      "recipe.toml:11: maintainer_scripts.postinst \"postinst\" is refused"));
  CHECK_THAT(msg, Catch::Contains("symbolic link"));
  CHECK_THAT(msg, !Catch::Contains("hostsecret"));
  CHECK_THAT(msg, !Catch::Contains("second:line"));
}

TEST_CASE("a recipe's directories must not lead out through a link either") {
  Setup s;
  REQUIRE(::symlink((s.host.path() + "/sources").c_str(), (s.dir.path() + "/sources").c_str()) ==
          0);
  write_file_atomic(s.dir.path() + "/recipe.toml", R"TOML(kind = "wheelhouse"
name = "wh"
version = "1.0-1"
maintainer = "Mallory <m@example.org>"
snapshot = "bookworm"
sources = "sources"
requirements = ["six"]
)TOML");
  CHECK_THAT(input_error_of([&] { load_recipe(s.dir.path() + "/recipe.toml"); }),
             Catch::Contains("recipe.toml:6: sources \"sources\" leads through a symbolic link"));
}

TEST_CASE("a requirements file includes nothing outside the recipe's directory") {
  Setup s;
  // The recipe's directory inside the "host" one: "../shadow" reaches the secret.
  std::string recipe_dir = s.host.path() + "/recipe";
  make_dirs(recipe_dir);
  write_file_atomic(recipe_dir + "/requirements.txt", "six\n-r " + s.shadow() + "\n-c ../shadow\n");
  write_file_atomic(recipe_dir + "/recipe.toml",
                    std::string(kVenvHead) + "requirements = \"requirements.txt\"\n");
  std::string msg = input_error_of([&] { load_recipe(recipe_dir + "/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("requirements.txt:2: '" + s.shadow() +
                                  "' is outside the recipe's directory"));
  CHECK_THAT(msg, Catch::Contains("requirements.txt:3: '" + s.shadow() +
                                  "' is outside the recipe's directory"));
  CHECK_THAT(msg, !Catch::Contains("hostsecret"));
}

TEST_CASE("a line of a requirements file is quoted short and escaped") {
  Setup s;
  std::string line = "bad\x1b]0;title\x07 " + std::string(500, 'x');
  write_file_atomic(s.dir.path() + "/requirements.txt", line + "\n");
  std::string msg =
      input_error_of([&] { load_recipe(s.recipe("requirements = \"requirements.txt\"\n")); });
  CHECK_THAT(msg, Catch::Contains("requirements.txt:1: 'bad\\x1b]0;title\\x07 xxx"));
  CHECK_THAT(msg, Catch::Contains("...'"));
  CHECK(msg.find('\x1b') == std::string::npos);
  CHECK(msg.size() < 400);
}

TEST_CASE("a recipe's file swapped for a link after loading is not read") {
  Setup s;
  write_file_atomic(s.dir.path() + "/postinst", "#!/bin/sh\n");
  Recipe r =
      load_recipe(s.recipe("requirements = [\"six\"]\n[maintainer_scripts]\npostinst = "
                           "\"postinst\"\n"));
  const RecipePath& p = r.venv.maintainer_scripts.at("postinst");
  CHECK(read_recipe_file(r, p) == "#!/bin/sh\n");
  REQUIRE(::unlink((s.dir.path() + "/postinst").c_str()) == 0);
  REQUIRE(::symlink(s.shadow().c_str(), (s.dir.path() + "/postinst").c_str()) == 0);
  CHECK_THAT(input_error_of([&] { read_recipe_file(r, p); }), Catch::Contains("symbolic link"));
}

TEST_CASE("a link nested under another link's path is refused at validation") {
  std::string text = std::string(kVenvHead) + R"TOML(requirements = ["six"]
links = [
  { target = "/etc", link = "/usr/lib/pwn" },
  { target = "bin/x", link = "/usr/lib/pwn/cron.d/evil" },
  { target = "bin/y", link = "/usr/lib/pwnage" },
]
)TOML";
  std::string msg = input_error_of([&] { parse_recipe(text, "/r/recipe.toml"); });
  CHECK_THAT(msg, Catch::Contains("recipe.toml:10: link \"/usr/lib/pwn/cron.d/evil\" lies beneath "
                                  "link \"/usr/lib/pwn\" (line 9)"));
  CHECK_THAT(msg, !Catch::Contains("pwnage"));
  // The root itself is no place for a link: everything would lie beneath it.
  std::string root = std::string(kVenvHead) +
                     "requirements = [\"six\"]\nlinks = [{ target = \"bin/x\", link = \"/\" }]\n";
  CHECK_THAT(input_error_of([&] { parse_recipe(root, "/r/recipe.toml"); }),
             Catch::Contains("recipe.toml:8: link \"/\" must be a normalized absolute path"));
}
