#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "python_package.h"
#include "venv_script.h"
#include "wheelhouse_script.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/package/python_build.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// bash -n: the generated script at least parses.
bool bash_parses(const std::string& script) {
  TempDir dir("python-build-test-");
  write_file_atomic(dir.path() + "/s.sh", script);
  return run_process({.argv = {"bash", "-n", dir.path() + "/s.sh"}}).status == 0;
}
}  // namespace

TEST_CASE("recipe sources are .toml files") {
  CHECK(is_recipe_source("recipes/hello-cli/recipe.toml"));
  CHECK_FALSE(is_recipe_source("hello_1.0.dsc"));
  CHECK_FALSE(is_recipe_source("src/hello"));
  CHECK_FALSE(is_recipe_source(".toml"));
}

TEST_CASE("shared-library owners become package names") {
  std::vector<std::string> unowned;
  auto packages = shlib_packages(
      "/lib/x86_64-linux-gnu/libz.so.1\tzlib1g:amd64\n"
      "/lib/x86_64-linux-gnu/libc.so.6\tlibc6:amd64\n"
      "/usr/lib/x86_64-linux-gnu/libfoo.so.2\tlibfoo2, libfoo2-extra:amd64\n"
      "/usr/local/lib/libbar.so\t\n",
      unowned);
  CHECK(packages == std::set<std::string>{"libc6", "libfoo2", "libfoo2-extra", "zlib1g"});
  REQUIRE(unowned.size() == 1);
  CHECK(unowned[0] == "/usr/local/lib/libbar.so");
  unowned.clear();
  CHECK(shlib_packages("", unowned).empty());
  CHECK(unowned.empty());
}

TEST_CASE("the venv depends on one Python minor version") {
  CHECK(python_depends(3, 11) == "python3 (>= 3.11), python3 (<< 3.12)");
  CHECK(python_depends(3, 9) == "python3 (>= 3.9), python3 (<< 3.10)");
}

TEST_CASE("build-path leaks are found in RECORD, direct_url.json and activate scripts") {
  CHECK(is_leak_checked_file("lib/python3.11/site-packages/foo-1.0.dist-info/RECORD"));
  CHECK(is_leak_checked_file("lib/python3.11/site-packages/foo-1.0.dist-info/direct_url.json"));
  CHECK(is_leak_checked_file("bin/activate"));
  CHECK(is_leak_checked_file("bin/activate.fish"));
  CHECK(is_leak_checked_file("pyvenv.cfg"));
  CHECK_FALSE(is_leak_checked_file("lib/pyvenv.cfg"));
  CHECK_FALSE(is_leak_checked_file("lib/python3.11/site-packages/foo/__init__.py"));
  auto leaks = build_path_leaks("bin/activate", "VIRTUAL_ENV='/cleanroom/out/venv'\n",
                                {"/cleanroom/", "/tmp/cleanroom-recipe-x"});
  REQUIRE(leaks.size() == 1);
  CHECK(leaks[0].find("bin/activate") != std::string::npos);
  CHECK(leaks[0].find("/cleanroom/") != std::string::npos);
  CHECK(build_path_leaks("bin/activate", "VIRTUAL_ENV='/opt/venvs/x'\n", {"/cleanroom/", ""})
            .empty());
}

TEST_CASE("the venv script removes compilers, installs offline with hashes, compiles checked-hash") {
  VenvScript v;
  v.venv_path = "/opt/venvs/greet";
  v.wheelhouse = "/cleanroom/wheelhouse";
  v.requirements = "/cleanroom/input/requirements.txt";
  v.out_dir = "/cleanroom/out";
  std::string s = venv_build_script(v);
  CHECK(bash_parses(s));
  CHECK(s.find("cc1") != std::string::npos);
  CHECK(s.find("command -v") != std::string::npos);
  CHECK(s.find("'-m' 'venv' '--without-pip' '/opt/venvs/greet'") != std::string::npos);
  CHECK(s.find("'-m' 'pip' '--python' '/opt/venvs/greet/bin/python' 'install' '--no-index'") !=
        std::string::npos);
  CHECK(s.find("'--require-hashes'") != std::string::npos);
  CHECK(s.find("'--no-compile'") != std::string::npos);
  CHECK(s.find("--invalidation-mode checked-hash") != std::string::npos);
  // The compilers go before pip can run.
  CHECK(s.find("cc1") < s.find("'pip' '--python'"));
  v.compile_bytecode = false;
  CHECK(venv_build_script(v).find("compileall") == std::string::npos);
  CHECK(venv_build_script(v).find("-name __pycache__") != std::string::npos);
  v.include_pip = true;
  CHECK(venv_build_script(v).find("'-m' 'venv' '/opt/venvs/greet'") != std::string::npos);
  CHECK(bash_parses(venv_build_script(v)));
}

TEST_CASE("the compiler removal fails when a compiler survives") {
  // Run the check half against a PATH holding a fake gcc: it must refuse.
  TempDir dir("python-build-test-");
  write_file_atomic(dir.path() + "/gcc", "#!/bin/sh\nexit 0\n", 0755);
  std::string script = remove_compilers_script();
  std::string check = script.substr(script.find("for c in"));
  write_file_atomic(dir.path() + "/check.sh", check);
  auto r = run_process(
      {.argv = {"env", "-i", "PATH=" + dir.path(), "/bin/bash", dir.path() + "/check.sh"}});
  CHECK(r.status != 0);
  ::unlink((dir.path() + "/gcc").c_str());
  r = run_process(
      {.argv = {"env", "-i", "PATH=" + dir.path(), "/bin/bash", dir.path() + "/check.sh"}});
  CHECK(r.status == 0);
}

TEST_CASE("an sdist builds at a fixed path with its version and the path mapped away") {
  SdistBuild b;
  b.sdist = "/cleanroom/sources/Foo_Bar-1.0.tar.gz";
  b.build_path = sdist_build_path("foo-bar", "1.0");
  b.out_dir = "/cleanroom/wheels";
  b.version = "1.0";
  b.log = "/cleanroom/log/foo-bar-1.0.wheel.log";
  b.source_date_epoch = 1704067200;
  CHECK(b.build_path == "/build/foo-bar-1.0");
  std::string s = sdist_build_script(b);
  CHECK(bash_parses(s));
  CHECK(s.find("'--no-build-isolation'") != std::string::npos);
  CHECK(s.find("'--no-deps'") != std::string::npos);
  CHECK(s.find("'--no-index'") != std::string::npos);
  CHECK(s.find("tee -a '/cleanroom/log/foo-bar-1.0.wheel.log'") != std::string::npos);
  auto env = sdist_build_environment(b);
  CHECK(has(env, "CFLAGS=-ffile-prefix-map=/build/foo-bar-1.0=."));
  CHECK(has(env, "PBR_VERSION=1.0"));
  CHECK(has(env, "SETUPTOOLS_SCM_PRETEND_VERSION=1.0"));
  CHECK(has(env, "PIP_CONFIG_FILE=/dev/null"));
  CHECK(has(env, "SOURCE_DATE_EPOCH=1704067200"));
  CHECK(std::is_sorted(env.begin(), env.end()));

  b.sdist = "/cleanroom/sources/foo-1.0.zip";
  std::string z = sdist_build_script(b);
  CHECK(bash_parses(z));
  CHECK(z.find("zipfile") != std::string::npos);
  CHECK(z.find("tar -xf") == std::string::npos);
}

namespace {
// Runs the unpack half on the host against a real archive; true when
// setup.py ends up directly at the build path.
bool unpacks_to_setup_py(const TempDir& dir, const std::string& archive) {
  SdistBuild b;
  b.sdist = archive;
  b.build_path = dir.path() + "/build/foo-1.0";
  b.python = "/usr/bin/python3";
  write_file_atomic(dir.path() + "/unpack.sh", sdist_unpack_script(b));
  auto r = run_process({.argv = {"/bin/sh", "-e", dir.path() + "/unpack.sh"}});
  return r.status == 0 && path_exists(b.build_path + "/setup.py");
}
}  // namespace

TEST_CASE("an sdist's single top directory is stripped, a flat archive is built from its root") {
  TempDir dir("python-build-test-");
  std::string d = dir.path();
  make_dirs(d + "/tree/foo-1.0");
  write_file_atomic(d + "/tree/foo-1.0/setup.py", "");
  write_file_atomic(d + "/tree/foo-1.0/PKG-INFO", "");
  auto tar = [&](const std::string& out, const std::string& from,
                 const std::vector<std::string>& names) {
    std::vector<std::string> argv = {"tar", "-C", from, "-czf", out};
    argv.insert(argv.end(), names.begin(), names.end());
    REQUIRE(run_process({.argv = argv}).status == 0);
  };
  auto zip = [&](const std::string& out, const std::string& from, const std::string& prefix) {
    REQUIRE(run_process({.argv = {"/usr/bin/python3", "-c",
                                  "import sys, os, zipfile\n"
                                  "z = zipfile.ZipFile(sys.argv[1], 'w')\n"
                                  "for n in os.listdir(sys.argv[2]):\n"
                                  "    z.write(os.path.join(sys.argv[2], n), sys.argv[3] + n)\n",
                                  out, from, prefix}})
                .status == 0);
  };
  tar(d + "/top.tar.gz", d + "/tree", {"foo-1.0"});
  CHECK(unpacks_to_setup_py(dir, d + "/top.tar.gz"));
  tar(d + "/flat.tar.gz", d + "/tree/foo-1.0", {"setup.py", "PKG-INFO"});
  CHECK(unpacks_to_setup_py(dir, d + "/flat.tar.gz"));
  // One directory beside a file at the root: the root is the tree.
  make_dirs(d + "/tree/foo-1.0/src");
  write_file_atomic(d + "/tree/foo-1.0/src/foo.py", "");
  tar(d + "/mixed.tar.gz", d + "/tree/foo-1.0", {"setup.py", "src"});
  CHECK(unpacks_to_setup_py(dir, d + "/mixed.tar.gz"));
  zip(d + "/top.zip", d + "/tree/foo-1.0", "foo-1.0/");
  CHECK(unpacks_to_setup_py(dir, d + "/top.zip"));
  zip(d + "/flat.zip", d + "/tree/foo-1.0", "");
  CHECK(unpacks_to_setup_py(dir, d + "/flat.zip"));
}

TEST_CASE("control paragraphs continue multi-line values and drop empty ones") {
  std::string text = control_paragraph({{"Package", "greet"},
                                        {"Depends", ""},
                                        {"Description", "short\nlong line\n\nmore"}});
  CHECK(text == "Package: greet\nDescription: short\n long line\n .\n more\n");
}

TEST_CASE("Installed-Size counts KiB per file, one per directory and link") {
  TempDir dir("python-build-test-");
  make_dirs(dir.path() + "/a/b");
  write_file_atomic(dir.path() + "/a/b/big", std::string(1025, 'x'));
  write_file_atomic(dir.path() + "/a/small", "x");
  REQUIRE(::symlink("b/big", (dir.path() + "/a/link").c_str()) == 0);
  std::uint64_t got = installed_size_kib(dir.path());
  // 2 + 1 for the files, a and a/b and the link; the root itself may count once.
  CHECK((got == 6 || got == 7));
}

TEST_CASE("the smoke test installs the .deb without compilers, then runs each command") {
  std::string s = smoke_test_script("/cleanroom/debs/greet_1.0_amd64.deb",
                                    {"greet --version", "greet 'it''s' | grep -q x"});
  CHECK(bash_parses(s));
  auto dpkg = s.find("dpkg -i '/cleanroom/debs/greet_1.0_amd64.deb'");
  REQUIRE(dpkg != std::string::npos);
  CHECK(s.find("cc1") < dpkg);
  auto first = s.find("/bin/sh -c 'greet --version'");
  REQUIRE(first != std::string::npos);
  CHECK(dpkg < first);
  CHECK(s.find("/bin/sh -c 'greet '\\''it'\\'''\\''s'\\'' | grep -q x'") != std::string::npos);
}

TEST_CASE("a directory of recipes expands to its .toml files and */recipe.toml") {
  TempDir dir("python-build-test-");
  std::string d = dir.path();
  make_dirs(d + "/hello-cli");
  make_dirs(d + "/empty");
  make_dirs(d + "/notes.toml.d");
  write_file_atomic(d + "/hello-cli/recipe.toml", "");
  write_file_atomic(d + "/wheelhouse.toml", "");
  write_file_atomic(d + "/README.md", "");
  auto got = expand_recipe_sources({d, "x/venv.toml"});
  CHECK(got == std::vector<std::string>{d + "/hello-cli/recipe.toml", d + "/wheelhouse.toml",
                                        "x/venv.toml"});
  CHECK(is_recipe_source(d));
  CHECK_FALSE(is_recipe_source(d + "/empty"));
  // A Debian source tree stays a Debian source, whatever else it holds.
  make_dirs(d + "/debian");
  CHECK_FALSE(is_recipe_source(d));
}

TEST_CASE("a recipe's build_env reaches the sdist build, flags keep the path map") {
  SdistBuild b;
  b.build_path = "/build/xxhash-3.4.1";
  b.out_dir = "/cleanroom/wheels";
  b.version = "3.4.1";
  b.env = {{"CFLAGS", "-O2"}, {"XXHASH_LINK_SO", "1"}, {"PBR_VERSION", "9"}};
  auto env = sdist_build_environment(b);
  CHECK(has(env, "CFLAGS=-ffile-prefix-map=/build/xxhash-3.4.1=. -O2"));
  CHECK(has(env, "CXXFLAGS=-ffile-prefix-map=/build/xxhash-3.4.1=."));
  CHECK(has(env, "XXHASH_LINK_SO=1"));
  CHECK(has(env, "PBR_VERSION=9"));
  CHECK_FALSE(has(env, "PBR_VERSION=3.4.1"));
  CHECK(std::is_sorted(env.begin(), env.end()));
}

TEST_CASE("the import check imports each module and reports the missing one") {
  TempDir dir("python-build-test-");
  std::string report = dir.path() + "/failed";
  std::string s = import_check_script(
      "/usr/bin/python3",
      {{"greet-svc", "json"}, {"greet-svc", "cleanroom_no_such_module.sub"}, {"", "os.path"}},
      report);
  CHECK(bash_parses(s));
  write_file_atomic(dir.path() + "/check.sh", s);
  auto r = run_process({.argv = {"/bin/sh", "-e", dir.path() + "/check.sh"}});
  CHECK(r.status != 0);
  std::string got = read_file(report);
  CHECK(got.starts_with("greet-svc\tcleanroom_no_such_module.sub\tcleanroom_no_such_module\t"
                        "ModuleNotFoundError: "));
  CHECK(std::count(got.begin(), got.end(), '\n') == 1);

  s = import_check_script("/usr/bin/python3", {{"greet-svc", "json"}}, report);
  write_file_atomic(dir.path() + "/check.sh", s);
  CHECK(run_process({.argv = {"/bin/sh", "-e", dir.path() + "/check.sh"}}).status == 0);
  CHECK(read_file(report).empty());
}
