// Two directories compared entry by entry: type, permission bits, symlink
// targets and contents. Owners and mtimes are left out: on disk they depend on
// who unpacked the tree and when, and the archives built from a tree are
// compared with them.
#include <fmt/format.h>
#include <unistd.h>

#include <map>
#include <set>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "diff_engine.h"
#include "tree_walk.h"

namespace cleanroom::repro::detail {

namespace {

const char* file_type(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symlink";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISFIFO(mode)) return "fifo";
  return "socket";
}

std::string link_target(const std::string& path) {
  std::string target(4096, '\0');
  ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) throw_errno("readlink '" + path + "'", errno, ErrorKind::Input);
  target.resize(static_cast<std::size_t>(n));
  return target;
}

}  // namespace

void Differ::trees(const std::string& a_root, const std::string& b_root) {
  std::map<std::string, struct stat> a, b;
  for (auto& e : walk_tree(a_root)) a[e.rel] = e.st;
  for (auto& e : walk_tree(b_root)) b[e.rel] = e.st;
  std::set<std::string> names;
  for (auto& [rel, st] : a) names.insert(rel);
  for (auto& [rel, st] : b) names.insert(rel);
  for (const std::string& rel : names) {
    auto ia = a.find(rel), ib = b.find(rel);
    if (ib == b.end()) {
      report({rel, DifferenceKind::OnlyInA, "", file_type(ia->second.st_mode), "", ""});
      continue;
    }
    if (ia == a.end()) {
      report({rel, DifferenceKind::OnlyInB, "", "", file_type(ib->second.st_mode), ""});
      continue;
    }
    mode_t ma = ia->second.st_mode, mb = ib->second.st_mode;
    if ((ma & S_IFMT) != (mb & S_IFMT)) {
      report({rel, DifferenceKind::Type, "type", file_type(ma), file_type(mb), ""});
      continue;
    }
    if (!S_ISLNK(ma) && (ma & 07777) != (mb & 07777))
      report({rel, DifferenceKind::Metadata, "mode", fmt::format("{:04o}", ma & 07777),
              fmt::format("{:04o}", mb & 07777), ""});
    std::string pa = join_path(a_root, rel), pb = join_path(b_root, rel);
    if (S_ISLNK(ma)) {
      std::string ta = link_target(pa), tb = link_target(pb);
      if (ta != tb) report({rel, DifferenceKind::Metadata, "link target", ta, tb, ""});
    } else if (S_ISREG(ma)) {
      blobs(rel, file_name(rel), read_file(pa), read_file(pb), 0);
    }
  }
}

}  // namespace cleanroom::repro::detail
