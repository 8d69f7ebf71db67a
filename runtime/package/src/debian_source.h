// What the build needs to know about a source package before and after unpacking:
// names, version, SOURCE_DATE_EPOCH, build dependencies. Reads only through fds
// confined to the tree, since a tree unpacked from a .dsc is untrusted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cleanroom::build {

struct DscInfo {
  std::string path;        // absolute path of the .dsc
  std::string dir;         // its directory
  std::string source, version;
  std::vector<std::string> files;  // the files it lists, all present and checked
};

// Parses the .dsc, checks that every listed file is beside it with the listed
// SHA-256 and size. Throws Error(Input) naming the missing or mismatched file.
DscInfo inspect_dsc(const std::string& path);

struct SourceTreeInfo {
  std::string source;
  std::string version;            // full, with epoch
  std::string version_no_epoch;   // for file and directory names
  std::vector<std::string> distributions;
  std::string urgency, maintainer, date;
  std::vector<std::string> changes;  // lines for the .changes Changes field
  std::int64_t source_date_epoch = 0;
  std::string build_depends, build_depends_arch, build_depends_indep;
  std::string section = "misc", priority = "optional";  // the source paragraph's
  std::string rules_requires_root;  // "no", "binary-targets", ... ("" when absent)
  std::vector<std::string> arch_packages, indep_packages;  // binary package names
};

// Reads debian/changelog and debian/control of tree (never following links out).
SourceTreeInfo inspect_tree(const std::string& tree);

// The snapshot name a debian/changelog distribution builds in, as sbuild
// reads it: unstable and experimental build in sid, an archive pocket
// (bookworm-security, -updates, -backports, -proposed-updates) in its suite.
// "" for UNRELEASED, which names no suite.
std::string snapshot_for_distribution(const std::string& distribution);

}  // namespace cleanroom::build
