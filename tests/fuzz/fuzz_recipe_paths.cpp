// libFuzzer entry for the paths a recipe names: whatever a recipe writes as a
// maintainer script, the path is refused, or it names one regular file whose
// real path lies beneath the recipe's directory; every message about it is one
// line without control characters, and excerpts stay short. The recipe's
// directory holds links out (to a file, to a directory), a FIFO and a hard
// link, next to the files a recipe may name.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/recipe.h"
#include "cleanroom/python/recipe_files.h"

namespace {

struct Fixture {
  cleanroom::TempDir outside{"fuzz-recipe-outside-"};
  cleanroom::TempDir dir{"fuzz-recipe-paths-"};
  std::string real_dir;
  Fixture() {
    using cleanroom::write_file_atomic;
    write_file_atomic(outside.path() + "/secret", "secret\n");
    write_file_atomic(dir.path() + "/postinst", "#!/bin/sh\n");
    cleanroom::make_dirs(dir.path() + "/sub");
    write_file_atomic(dir.path() + "/sub/file", "x\n");
    (void)::symlink((outside.path() + "/secret").c_str(), (dir.path() + "/link-out").c_str());
    (void)::symlink(outside.path().c_str(), (dir.path() + "/dir-out").c_str());
    (void)::symlink("postinst", (dir.path() + "/link-in").c_str());
    (void)::mkfifo((dir.path() + "/fifo").c_str(), 0644);
    (void)::link((outside.path() + "/secret").c_str(), (dir.path() + "/hardlink").c_str());
    char buf[PATH_MAX];
    if (!::realpath(dir.path().c_str(), buf)) std::abort();
    real_dir = buf;
  }
};

// A TOML basic string holding exactly these bytes (recipes are ASCII: other
// bytes as \u escapes of the same code point).
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\u{:04X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void check_message(std::string_view message) {
  for (std::size_t i = 0; i < message.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(message[i]);
    // Lines of a multi-line Diagnostics are separated by '\n'; none holds another control.
    if ((c < 0x20 && c != '\n') || c == 0x7f) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  std::string shown = cleanroom::excerpt(input);
  if (shown.size() > cleanroom::kExcerptMax * 4 + 3) std::abort();
  check_message(shown);
  if (shown.find('\n') != std::string::npos) std::abort();

  std::string text = fmt::format(
      "kind = \"venv\"\nname = \"fuzz\"\nversion = \"1.0-1\"\n"
      "maintainer = \"F <f@example.org>\"\ndescription = \"fuzz\"\nsnapshot = \"bookworm\"\n"
      "requirements = [\"six\"]\n[maintainer_scripts]\npostinst = {}\n",
      toml_string(input));
  std::string file = fixture.dir.path() + "/recipe.toml";
  cleanroom::python::Recipe recipe;
  try {
    recipe = cleanroom::python::parse_recipe(text, file);
  } catch (const cleanroom::Error& e) {
    check_message(e.what());
    return 0;
  }
  const auto& scripts = recipe.venv.maintainer_scripts;
  auto it = scripts.find("postinst");
  if (it == scripts.end()) return 0;
  const cleanroom::python::RecipePath& p = it->second;
  if (!cleanroom::python::is_plain_relative_path(p.relative)) std::abort();
  if (p.resolved.rfind(fixture.dir.path() + "/", 0) != 0) std::abort();

  auto problems = cleanroom::python::check_recipe_paths(recipe);
  for (const auto& line : problems) check_message(line);
  if (!problems.empty()) return 0;
  // Accepted: one regular file with one link, really beneath the directory.
  char buf[PATH_MAX];
  if (!::realpath(p.resolved.c_str(), buf)) std::abort();
  std::string real = buf;
  if (real.rfind(fixture.real_dir + "/", 0) != 0) std::abort();
  struct stat st;
  if (::lstat(p.resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
    std::abort();
  try {
    cleanroom::python::read_recipe_file(recipe, p);
  } catch (const cleanroom::Error&) {
    std::abort();
  }
  return 0;
}
