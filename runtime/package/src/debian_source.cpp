#include "debian_source.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/deb822_checksums.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/formats/version.h"
#include "cleanroom/formats/control_file.h"
#include "cleanroom/formats/safe_path.h"

namespace cleanroom::build {

namespace {

std::string read_beneath(const std::string& tree, const std::string& rel) {
  UniqueFd root = open_fd(tree, O_RDONLY | O_DIRECTORY);
  UniqueFd fd = with_context(fmt::format("source tree '{}'", tree), [&] {
    // O_NONBLOCK: the tree may be dpkg-source's unpacking of an untrusted
    // tarball, and a FIFO there must fail the check below, not hang the open.
    return formats::open_beneath(root.get(), rel, O_RDONLY | O_NONBLOCK);
  });
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    throw_input(fmt::format("'{}/{}' is not a regular file", tree, rel));
  return read_all(fd.get(), fmt::format("'{}/{}'", tree, rel));
}

std::string field_or_empty(const formats::Deb822Paragraph& p, std::string_view name) {
  auto v = p.get(name);
  return v ? *v : "";
}

// Parsed here only to be checked, so that a syntax error names the user's own
// file and line before anything is unpacked or installed.
void check_relationship_fields(const formats::Deb822Paragraph& p, const std::string& file) {
  for (const char* name : {"Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep",
                           "Build-Conflicts", "Build-Conflicts-Arch", "Build-Conflicts-Indep"})
    if (const auto* f = p.find(name)) formats::parse_dependencies(f->value, f->name, file, f->line);
}

// Source and Version name every output file (and the .build log): Debian's
// rules for both keep them plain names.
void check_dsc_identity(const formats::Deb822Paragraph& p, const std::string& file) {
  const auto* source = p.find("Source");
  if (!formats::valid_package_name(source->value))
    formats::throw_input_at(file, source->line,
                            fmt::format("Source '{}' is not a valid source package name (lower-case "
                                        "letters, digits, '+', '-', '.'; at least two characters)",
                                        source->value));
  const auto* version = p.find("Version");
  try {
    formats::parse_version(version->value);
  } catch (const Error& e) {
    formats::throw_input_at(file, version->line,
                            fmt::format("Version '{}': {}", version->value, e.what()));
  }
}

}  // namespace

DscInfo inspect_dsc(const std::string& path) {
  DscInfo info;
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) throw_errno(fmt::format("source '{}'", path), errno, ErrorKind::Input);
  info.path = real;
  ::free(real);
  info.dir = parent_dir(info.path);
  formats::Deb822File dsc = formats::read_deb822_file(info.path);
  if (dsc.paragraphs.empty()) throw_input(fmt::format("'{}': empty .dsc", info.path));
  const auto& p = dsc.paragraphs.front();
  info.source = p.required("Source");
  info.version = p.required("Version");
  check_dsc_identity(p, info.path);
  check_relationship_fields(p, info.path);
  std::vector<formats::FileChecksums> files;
  auto sha = p.find("Checksums-Sha256");
  if (!sha)
    throw_input(fmt::format("'{}': no Checksums-Sha256 field; rebuild the source package with "
                            "a current dpkg-source",
                            info.path));
  formats::parse_checksums_field(sha->value, formats::ChecksumKind::Sha256, "Checksums-Sha256",
                                 files);
  for (const auto& f : files) {
    if (f.name.find('/') != std::string::npos || f.name == ".." || f.name.empty())
      throw_input(fmt::format("'{}': file name '{}' is not a plain name", info.path, f.name));
    std::string full = info.dir + "/" + f.name;
    struct stat st;
    if (::stat(full.c_str(), &st) != 0)
      throw_input(fmt::format("source not available: '{}' lists '{}', which is not beside it; "
                              "fetch it (e.g. with "
                              "`apt-get source --download-only`) into '{}'",
                              info.path, f.name, info.dir));
    auto actual = formats::checksum_file(full);
    if (actual.sha256 != f.sha256 || actual.size != f.size)
      throw_input(fmt::format("'{}': SHA-256 or size of '{}' differs from the .dsc; the file "
                              "is corrupt or belongs to another version",
                              info.path, full));
    info.files.push_back(f.name);
  }
  return info;
}

SourceTreeInfo inspect_tree(const std::string& tree) {
  SourceTreeInfo info;
  std::string changelog_name = tree + "/debian/changelog";
  auto entry = formats::parse_changelog_top(read_beneath(tree, "debian/changelog"),
                                            changelog_name);
  info.source = entry.source;
  info.version = entry.version.to_string();
  info.version_no_epoch = info.version.substr(info.version.find(':') + 1);
  info.distributions = entry.distributions;
  info.urgency = entry.urgency.empty() ? "medium" : entry.urgency;
  info.maintainer = entry.maintainer;
  info.date = entry.date;
  info.changes = formats::changes_lines(entry);
  info.source_date_epoch = entry.timestamp;

  std::string control_name = tree + "/debian/control";
  auto control = formats::parse_deb822(read_beneath(tree, "debian/control"), control_name);
  if (control.paragraphs.empty()) throw_input(fmt::format("'{}': no paragraphs", control_name));
  const auto& src = control.paragraphs.front();
  src.required("Source");  // dpkg-buildpackage would stop at its absence, less clearly
  check_relationship_fields(src, control_name);
  info.build_depends = field_or_empty(src, "Build-Depends");
  info.build_depends_arch = field_or_empty(src, "Build-Depends-Arch");
  info.build_depends_indep = field_or_empty(src, "Build-Depends-Indep");
  info.rules_requires_root = field_or_empty(src, "Rules-Requires-Root");
  info.section = src.get("Section").value_or("misc");
  info.priority = src.get("Priority").value_or("optional");
  for (std::size_t i = 1; i < control.paragraphs.size(); ++i) {
    const auto& bin = control.paragraphs[i];
    std::string arch = field_or_empty(bin, "Architecture");
    std::string name = field_or_empty(bin, "Package");
    if (name.empty()) continue;
    (arch == "all" ? info.indep_packages : info.arch_packages).push_back(name);
  }
  return info;
}

std::string snapshot_for_distribution(const std::string& distribution) {
  if (distribution == "UNRELEASED") return "";
  if (distribution == "unstable" || distribution == "experimental") return "sid";
  // Longest first: -proposed-updates also ends in -updates.
  for (const char* pocket : {"-proposed-updates", "-backports-sloppy", "-backports", "-security",
                             "-updates"}) {
    std::string suffix = pocket;
    if (distribution.size() > suffix.size() &&
        distribution.compare(distribution.size() - suffix.size(), suffix.size(), suffix) == 0)
      return distribution.substr(0, distribution.size() - suffix.size());
  }
  return distribution;
}

}  // namespace cleanroom::build
