// Building a .deb with the bytes `dpkg-deb --root-owner-group --build` (dpkg
// 1.21, bookworm) gives the same tree at the same SOURCE_DATE_EPOCH, minus
// everything host-dependent: member mtimes are SOURCE_DATE_EPOCH, tar members are GNU
// format with "./" names (what dpkg and lintian expect), and the compressed
// tars are streamed straight into the ar file with the member sizes patched
// afterwards, so no temporary copy of data.tar is ever made.
#include <fmt/format.h>
#include <sys/stat.h>

#include <set>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb.h"
#include "deb_md5sums.h"

namespace cleanroom::formats {

namespace {

bool is_maintainer_script(const std::string& name) {
  static const std::set<std::string> scripts = {"preinst", "postinst", "prerm", "postrm", "config"};
  return scripts.count(name) > 0;
}

std::set<std::string> parse_conffiles(const std::string& text) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    // Flags ("remove-on-upgrade /etc/x") precede the path.
    auto space = line.rfind(' ');
    if (space != std::string::npos) line = line.substr(space + 1);
    if (!line.empty()) out.insert(line);
  }
  return out;
}

std::vector<TarEntry> control_entries(const std::string& control_dir, std::int64_t root_mtime) {
  std::vector<TarEntry> entries;
  TarEntry root;
  root.path = ".";
  root.type = EntryType::Directory;
  root.mode = 0755;
  root.mtime = root_mtime;
  entries.push_back(root);
  bool has_control = false;
  for (TarEntry& e : scan_tree(control_dir)) {
    if (e.type != EntryType::File)
      throw_input(
          fmt::format("control directory '{}': '{}' is not a regular file; only "
                      "plain files belong there",
                      control_dir, e.path));
    e.mode = is_maintainer_script(e.path) ? 0755 : 0644;
    e.xattrs.clear();
    has_control = has_control || e.path == "control";
    entries.push_back(std::move(e));
  }
  if (!has_control)
    throw_input(fmt::format("control directory '{}' has no 'control' file", control_dir));
  return entries;
}

// dpkg-deb's own defaults (zstd 3, not the 19 other archives here get), so
// that a tree gives the bytes `dpkg-deb --build` gives it.
int dpkg_default_level(Compression compression) {
  return compression == Compression::Zstd ? 3 : default_level(compression);
}

}  // namespace

void build_deb(const std::string& root, const std::string& control_dir_arg,
               const std::string& out_path, const DebBuildOptions& options) {
  with_context("build '" + out_path + "'", [&] {
    bool implicit = control_dir_arg.empty();
    std::string control_dir = implicit ? root + "/DEBIAN" : control_dir_arg;
    struct stat st;
    if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw_input(fmt::format("data tree '{}' is not a directory", root));
    const std::int64_t sde = options.source_date_epoch;

    std::vector<TarEntry> data;
    TarEntry top;
    top.path = ".";
    top.type = EntryType::Directory;
    top.mode = 0755;  // the package's "/": never the build directory's mode
    top.mtime = st.st_mtim.tv_sec;
    data.push_back(top);
    for (TarEntry& e : scan_tree(root)) {
      if (implicit && (e.path == "DEBIAN" || e.path.rfind("DEBIAN/", 0) == 0)) continue;
      // dpkg ignores xattrs in data.tar; keeping them would only leak host state.
      e.xattrs.clear();
      data.push_back(std::move(e));
    }

    std::vector<TarEntry> control = control_entries(control_dir, std::min(top.mtime, sde));
    std::set<std::string> conffiles;
    bool has_md5sums = false;
    for (const TarEntry& e : control) {
      if (e.path == "conffiles") conffiles = parse_conffiles(read_file(e.source_path));
      has_md5sums = has_md5sums || e.path == "md5sums";
    }
    std::set<std::string> data_paths;
    for (const TarEntry& e : data) data_paths.insert("/" + e.path);
    for (const std::string& c : conffiles)
      if (!data_paths.count(c))
        throw_input(fmt::format("conffile '{}' is not in the data tree '{}'", c, root));
    if (!has_md5sums) {
      TarEntry md5;
      md5.path = "md5sums";
      md5.mode = 0644;
      md5.mtime = sde;
      md5.data = make_md5sums(data, conffiles);
      // Like dh_md5sums: a package without files gets no md5sums at all.
      if (!md5.data.empty()) control.push_back(std::move(md5));
    }

    TarWriteOptions tar;
    tar.compression = options.compression;
    tar.level = options.level < 0 ? dpkg_default_level(options.compression) : options.level;
    tar.format = TarFormat::Gnu;
    tar.dot_prefix = true;
    tar.clamp_mtime = sde;
    tar.root_owner = true;
    tar.normalize_permissions = options.normalize_permissions;
    tar.symlinks_last = true;
    tar.dpkg_zstd = true;
    TarWriteOptions control_tar = tar;
    control_tar.normalize_permissions = false;  // modes set above, by file name
    tar.owners = options.owners;

    std::string suffix = compression_suffix(options.compression);
    AtomicFile out(out_path, 0644);
    ArWriter ar(out.fd(), out_path, sde);
    ar.add("debian-binary", "2.0\n");
    ar.begin("control.tar" + suffix);
    write_tar(std::move(control), out.fd(), control_tar);
    ar.end();
    ar.begin("data.tar" + suffix);
    write_tar(std::move(data), out.fd(), tar);
    ar.end();
    out.commit();
  });
}

}  // namespace cleanroom::formats
