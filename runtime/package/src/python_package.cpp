#include "python_package.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/tar.h"

namespace cleanroom::build {

std::uint64_t installed_size_kib(const std::string& root) {
  std::uint64_t kib = 0;
  for (const auto& e : formats::scan_tree(root)) {
    if (e.type == formats::EntryType::File)
      kib += (e.size + 1023) / 1024;
    else
      kib += 1;
  }
  return kib;
}

std::string control_paragraph(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    out += name + ":";
    std::size_t start = 0;
    bool first = true;
    while (start <= value.size()) {
      std::size_t end = value.find('\n', start);
      if (end == std::string::npos) end = value.size();
      std::string line = value.substr(start, end - start);
      if (first)
        out += " " + line;
      else
        out += "\n " + (line.empty() ? std::string(".") : line);
      first = false;
      start = end + 1;
    }
    out += "\n";
  }
  return out;
}

namespace {

// The control file and the .deb of one binary package of the recipe.
CollectedPackage pack_deb(const RecipeContext& ctx, const std::string& root,
                          const std::string& control_dir, const std::string& package,
                          const std::vector<std::pair<std::string, std::string>>& fields) {
  make_dirs(control_dir);
  write_file_atomic(control_dir + "/control", control_paragraph(fields));
  CollectedPackage out;
  out.name = fmt::format("{}_{}_{}.deb", package, ctx.version_no_epoch, ctx.arch);
  out.path = ctx.staging_dir + "/" + out.name;
  out.package = package;
  out.architecture = ctx.arch;
  for (const auto& [name, value] : fields) {
    if (name == "Section") out.section = value;
    if (name == "Priority") out.priority = value;
    if (name == "Description") out.description = value.substr(0, value.find('\n'));
  }
  formats::DebBuildOptions options;
  options.compression = ctx.snapshot.deb_compression == "zstd" ? formats::Compression::Zstd
                                                               : formats::Compression::Xz;
  options.source_date_epoch = ctx.epoch;
  formats::build_deb(root, control_dir, out.path, options);
  return out;
}

}  // namespace

CollectedPackage pack_recipe_deb(const RecipeContext& ctx, const std::string& root,
                                 const std::string& control_dir,
                                 const std::vector<std::pair<std::string, std::string>>& extra,
                                 const std::string& extended) {
  const auto& r = ctx.recipe;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Package", r.name},
      {"Version", r.version},
      {"Architecture", ctx.arch},
      {"Maintainer", r.maintainer},
      {"Installed-Size", std::to_string(installed_size_kib(root))}};
  for (const auto& f : extra) fields.push_back(f);
  fields.push_back({"Section", "python"});
  fields.push_back({"Priority", "optional"});
  fields.push_back(
      {"Description", extended.empty() ? r.description : r.description + "\n" + extended});
  return pack_deb(ctx, root, control_dir, r.name, fields);
}

CollectedPackage pack_dbgsym_deb(const RecipeContext& ctx, const std::string& root,
                                 const std::string& control_dir,
                                 const std::vector<std::string>& build_ids) {
  const auto& r = ctx.recipe;
  std::string ids;
  for (const auto& id : build_ids) ids += (ids.empty() ? "" : " ") + id;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Package", r.name + "-dbgsym"},
      {"Source", r.name},
      {"Version", r.version},
      {"Auto-Built-Package", "debug-symbols"},
      {"Architecture", ctx.arch},
      {"Maintainer", r.maintainer},
      {"Installed-Size", std::to_string(installed_size_kib(root))},
      {"Depends", fmt::format("{} (= {})", r.name, r.version)},
      {"Section", "debug"},
      {"Priority", "optional"},
      {"Description", "debug symbols for " + r.name},
      {"Build-Ids", ids}};
  return pack_deb(ctx, root, control_dir, r.name + "-dbgsym", fields);
}

}  // namespace cleanroom::build
