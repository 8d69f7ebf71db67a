#include "cleanroom/pipeline/mounted_wheelhouse.h"

#include <ftw.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <map>

#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/deb.h"

namespace cleanroom::build {

namespace {
// nftw offers no closure argument; one walk at a time in this single-threaded program.
std::map<std::string, int>* g_wheel_counts = nullptr;

int count_wheel(const char* path, const struct stat* st, int type, struct FTW*) {
  std::string p = path;
  if (type == FTW_F && S_ISREG(st->st_mode) && p.size() > 4 &&
      p.compare(p.size() - 4, 4, ".whl") == 0)
    ++(*g_wheel_counts)[p.substr(0, p.rfind('/'))];
  return 0;
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
  std::map<std::string, int> counts;
  g_wheel_counts = &counts;
  ::nftw(dest.c_str(), count_wheel, 32, FTW_PHYS);
  g_wheel_counts = nullptr;
  std::string best;
  int most = 0;
  for (const auto& [dir, n] : counts)
    if (n > most) best = dir, most = n;
  if (best.empty()) throw_input(fmt::format("--wheelhouse '{}': the package holds no .whl file", path));
  return best;
}

}  // namespace cleanroom::build
