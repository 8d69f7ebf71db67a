#include "cleanroom/python/recipe_files.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/open_beneath.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::python {

bool is_plain_relative_path(std::string_view path) {
  if (path.empty() || path == "." || path.front() == '/') return false;
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

namespace {

std::string open_problem(int err) {
  if (err == ELOOP || err == EXDEV || err == ENOTDIR)
    return "leads through a symbolic link or out of the recipe's directory; put the file itself "
           "beneath the recipe's directory";
  return fmt::format("cannot be opened ({}); fix the path or its permissions", std::strerror(err));
}

std::optional<std::string> directory_problem(const Recipe& r, const RecipePath& p) {
  UniqueFd dir = open_fd(r.dir, O_RDONLY | O_DIRECTORY);
  int raw = open_beneath_raw(dir.get(), p.relative, O_PATH | O_DIRECTORY);
  if (raw < 0) return open_problem(errno);
  ::close(raw);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> recipe_path_problem(const Recipe& r, const RecipePath& p,
                                               RecipeFileKind kind) {
  struct stat st {};
  if (::lstat(p.resolved.c_str(), &st) != 0)
    return fmt::format("does not exist ('{}'); create it or fix the path", p.resolved);
  if (kind == RecipeFileKind::Directory) {
    if (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)) return directory_problem(r, p);
    return std::string("is not a directory; name a directory");
  }
  if (S_ISDIR(st.st_mode)) return std::string("is not a regular file; name a file");
  try {
    open_untrusted_file(r.dir, p.relative, kSandboxArchiveMax, kRecipeFile);
  } catch (const Error& e) {
    return fmt::format("is refused: {}; keep the file itself in the recipe's directory", e.what());
  }
  return std::nullopt;
}

std::string read_recipe_file(const Recipe& r, const RecipePath& p) {
  return read_untrusted_file(r.dir, p.relative, kRecipeTextMax, kRecipeFile);
}

}  // namespace cleanroom::python
