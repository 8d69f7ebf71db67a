#include "build_outputs.h"

#include <algorithm>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <map>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/buildinfo.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/deb822_checksums.h"
#include "cleanroom/repro/normalize.h"

namespace cleanroom::build {

namespace {

bool is_package_name(const std::string& name) {
  auto ends = [&](const char* suffix) {
    std::string s = suffix;
    return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".deb") || ends(".udeb") || ends(".ddeb");
}

void set_mtime(const std::string& path, std::int64_t mtime) {
  struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
    throw_errno("set mtime of '" + path + "'");
}

formats::Compression compression_named(const std::string& name) {
  return name == "zstd" ? formats::Compression::Zstd : formats::Compression::Xz;
}

// The compressor the suite's dpkg-deb used (dh_builddeb -- -Zgzip included):
// written again with it, a .deb that was already deterministic comes out with
// the bytes it went in with. The snapshot's choice only for one we cannot name.
formats::Compression compression_of(const formats::DebReader& deb,
                                    const std::string& deb_compression) {
  const std::string& member = deb.data_member().name;
  auto dot = member.rfind('.');
  if (dot != std::string::npos && member.compare(0, dot, "data.tar") == 0)
    if (auto c = formats::compression_from_word(member.substr(dot + 1))) return *c;
  return compression_named(deb_compression);
}

CollectedPackage normalize_package(const std::string& dir, const std::string& name,
                                   const std::string& staging_dir, std::int64_t epoch,
                                   const std::string& deb_compression) {
  // The build is untrusted: it may have left a link to a host file, a FIFO or
  // something huge or sparse under a package's name: read through the checked
  // fd piecewise, never whole.
  formats::DebReader deb(open_sandbox_file(dir, name, kSandboxArchiveMax), name);
  TempDir unpack("deb-", staging_dir);
  std::string root = unpack.path() + "/root", control = unpack.path() + "/DEBIAN";
  make_dirs(root);
  make_dirs(control);
  deb.extract_data(root, {});
  // The extracted tree is the host's: the owners a (fake)root build gave
  // are kept from the tar itself.
  std::map<std::string, formats::TarOwner> owners;
  deb.read_data([&](const formats::TarEntry& e, const std::function<std::string()>&) {
    if (e.uid != 0 || e.gid != 0) owners[e.path] = {e.uid, e.gid, e.uname, e.gname};
  });
  // Control files keep their mtimes (clamped, as dpkg-deb does): a
  // debian/triggers older than the changelog stays older.
  deb.read_control([&](const formats::TarEntry& e, const std::function<std::string()>& read) {
    if (e.type != formats::EntryType::File || e.path.find('/') != std::string::npos) return;
    std::string path = control + "/" + e.path;
    write_file_atomic(path, read(), e.mode & 0777);
    set_mtime(path, e.mtime);
  });
  repro::normalize_tree(root, {epoch, true});

  CollectedPackage out;
  out.name = name;
  out.path = staging_dir + "/" + name;
  formats::DebBuildOptions options;
  options.compression = compression_of(deb, deb_compression);
  options.source_date_epoch = epoch;
  // dh_fixperms already decided the modes; setuid or 0600 files stay as built.
  options.normalize_permissions = false;
  options.owners = std::move(owners);
  formats::build_deb(root, control, out.path, options);

  auto fields = formats::parse_deb822(deb.control_text(), name + ":control");
  if (fields.paragraphs.empty()) throw_failure(fmt::format("'{}': empty control file", name));
  const auto& p = fields.paragraphs.front();
  out.package = p.required("Package");
  out.architecture = p.required("Architecture");
  out.section = p.get("Section").value_or("misc");
  out.priority = p.get("Priority").value_or("optional");
  std::string desc = p.get("Description").value_or("");
  out.description = desc.substr(0, desc.find('\n'));
  return out;
}

}  // namespace

std::vector<CollectedPackage> collect_packages(const std::string& build_dir,
                                               const std::string& staging_dir,
                                               std::int64_t epoch,
                                               const std::string& deb_compression) {
  std::vector<std::string> names = list_dir(build_dir);
  std::erase_if(names, [](const std::string& name) { return !is_package_name(name); });
  if (names.empty()) throw_failure("the build produced no .deb files");
  std::vector<CollectedPackage> packages;
  for (const auto& name : names)
    packages.push_back(with_context(fmt::format("normalize '{}'", name), [&] {
      return normalize_package(build_dir, name, staging_dir, epoch, deb_compression);
    }));
  return packages;
}

std::vector<std::string> write_records(const std::vector<CollectedPackage>& packages,
                                       const RecordRequest& request,
                                       const std::string& staging_dir) {
  const auto& src = request.source;
  std::string stem = fmt::format("{}_{}_{}", src.source, src.version_no_epoch,
                                 request.changes_arch);
  std::vector<std::string> binaries;
  std::vector<formats::FileChecksums> sums;
  for (const auto& p : packages) {
    binaries.push_back(p.package);
    sums.push_back(formats::checksum_file(p.path));
  }
  std::sort(binaries.begin(), binaries.end());
  binaries.erase(std::unique(binaries.begin(), binaries.end()), binaries.end());

  formats::BuildinfoFile bi;
  bi.source = src.source;
  bi.binaries = binaries;
  bi.architectures = request.architectures;
  bi.version = src.version;
  bi.files = sums;
  bi.build_origin = "Debian";
  bi.build_architecture = request.arch;
  bi.build_date = src.date;  // the changelog's: a wall-clock date would break reproducibility
  bi.build_path = request.build_path;
  bi.installed_build_depends = request.installed_build_depends;
  bi.environment = request.environment;
  bi.cleanroom_snapshot = request.snapshot_id;
  bi.cleanroom_wheelhouse = request.wheelhouse_hash;
  bi.cleanroom_recipe = request.recipe_hash;
  bi.source_date_epoch = src.source_date_epoch;
  std::string buildinfo_path = staging_dir + "/" + stem + ".buildinfo";
  write_file_atomic(buildinfo_path, formats::write_buildinfo(bi));

  formats::ChangesFile ch;
  ch.date = src.date;
  ch.source = src.source;
  ch.binaries = binaries;
  ch.architectures = request.architectures;
  ch.version = src.version;
  ch.distributions = src.distributions;
  ch.urgency = src.urgency;
  ch.maintainer = src.maintainer;
  for (const auto& p : packages) ch.descriptions.push_back({p.package, p.description});
  ch.changes = src.changes;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    formats::ChangesFileEntry entry;
    static_cast<formats::FileChecksums&>(entry) = sums[i];
    entry.section = packages[i].section;
    entry.priority = packages[i].priority;
    ch.files.push_back(entry);
  }
  formats::ChangesFileEntry bentry;
  static_cast<formats::FileChecksums&>(bentry) = formats::checksum_file(buildinfo_path);
  // dpkg-genchanges lists the .buildinfo under the source's section and priority.
  bentry.section = src.section;
  bentry.priority = src.priority;
  ch.files.push_back(bentry);
  std::string changes_path = staging_dir + "/" + stem + ".changes";
  write_file_atomic(changes_path, formats::write_changes(ch));
  return {buildinfo_path, changes_path};
}

}  // namespace cleanroom::build
