#include "cleanroom/base/file_system.h"
#include "cleanroom/pipeline/mounted_wheelhouse.h"

#include <sys/stat.h>

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <system_error>

#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/deb.h"

namespace cleanroom::build {

namespace {

namespace fs = std::filesystem;

// Wheels per directory of the unpacked tree, links not followed: the counts
// live in this call's own map, so builds on several threads (verify, bisect)
// may resolve wheelhouses at once.
std::map<std::string, int> wheels_per_directory(const std::string& root) {
  std::map<std::string, int> counts;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code type_ec;
    if (it->symlink_status(type_ec).type() == fs::file_type::regular && p.extension() == ".whl")
      ++counts[p.parent_path().string()];
  }
  if (ec) throw_failure(fmt::format("listing '{}': {}", root, ec.message()));
  return counts;
}

}  // namespace

std::string resolve_wheelhouse(const std::string& path, const std::string& work_dir) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw_input(fmt::format("--wheelhouse '{}' does not exist", path));
  if (S_ISDIR(st.st_mode)) return path;
  if (path.size() < 4 || path.compare(path.size() - 4, 4, ".deb") != 0)
    throw_input(fmt::format("--wheelhouse '{}': give a directory of wheels or a wheelhouse .deb",
                            path));
  std::string dest = work_dir + "/wheelhouse";
  make_dirs(dest);
  formats::DebReader deb(path);
  deb.extract_data(dest, {});
  std::string best;
  int most = 0;
  for (const auto& [dir, n] : wheels_per_directory(dest))
    if (n > most) best = dir, most = n;
  if (best.empty()) throw_input(fmt::format("--wheelhouse '{}': the package holds no .whl file", path));
  return best;
}

}  // namespace cleanroom::build
