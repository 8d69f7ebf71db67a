// .buildinfo writer and reader. Field order is Dpkg::Control::FieldsCore's for
// CTRL_FILE_BUILDINFO; layouts are dpkg-genbuildinfo's (one Installed-Build-Depends
// entry per line, Environment as NAME="value" with '"' escaped as \").
#include "cleanroom/formats/buildinfo.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_text.h"

namespace cleanroom::formats {

namespace {

constexpr const char* kSnapshot = "X-Cleanroom-Snapshot";
constexpr const char* kWheelhouse = "X-Cleanroom-Wheelhouse";
constexpr const char* kRecipe = "X-Cleanroom-Recipe";
constexpr const char* kEpoch = "X-Cleanroom-Source-Date-Epoch";

std::string join_sorted(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  return join(words, " ");
}

void set_if(Deb822Paragraph& p, const char* name, const std::string& value) {
  if (!value.empty()) p.set(name, value);
}

std::string escape_quotes(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string write_buildinfo(const BuildinfoFile& b) {
  for (const auto& [field, value] : {std::pair{"Source", &b.source},
                                     {"Version", &b.version},
                                     {"Build-Architecture", &b.build_architecture},
                                     {"Build-Date", &b.build_date}})
    if (value->empty())
      throw_input(fmt::format(".buildinfo: field '{}' is empty; the build must provide it", field));
  Deb822Paragraph p;
  p.set("Format", b.format);
  p.set("Source", b.source);
  set_if(p, "Binary", join_sorted(b.binaries));
  set_if(p, "Architecture", join_sorted(b.architectures));
  p.set("Version", b.version);
  if (!b.binary_only_changes.empty()) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < b.binary_only_changes.size();) {
      std::size_t end = std::min(b.binary_only_changes.find('\n', at), b.binary_only_changes.size());
      lines.push_back(b.binary_only_changes.substr(at, end - at));
      at = end + 1;
    }
    p.set("Binary-Only-Changes", deb822_multiline("", lines));
  }
  if (!b.files.empty()) {
    p.set("Checksums-Md5", checksums_field(b.files, ChecksumKind::Md5));
    p.set("Checksums-Sha1", checksums_field(b.files, ChecksumKind::Sha1));
    p.set("Checksums-Sha256", checksums_field(b.files, ChecksumKind::Sha256));
  }
  set_if(p, "Build-Origin", b.build_origin);
  p.set("Build-Architecture", b.build_architecture);
  set_if(p, "Build-Kernel-Version", b.build_kernel_version);
  p.set("Build-Date", b.build_date);
  set_if(p, "Build-Path", b.build_path);
  if (!b.build_tainted_by.empty())
    p.set("Build-Tainted-By", deb822_multiline("", b.build_tainted_by));
  if (!b.installed_build_depends.empty()) {
    std::vector<std::string> deps = b.installed_build_depends;
    std::sort(deps.begin(), deps.end());
    for (std::size_t i = 0; i + 1 < deps.size(); ++i) deps[i] += ',';
    p.set("Installed-Build-Depends", deb822_multiline("", deps));
  }
  if (!b.environment.empty()) {
    auto env = b.environment;
    std::sort(env.begin(), env.end());
    std::vector<std::string> lines;
    for (const auto& [name, value] : env)
      lines.push_back(name + "=\"" + escape_quotes(value) + "\"");
    p.set("Environment", deb822_multiline("", lines));
  }
  set_if(p, kSnapshot, b.cleanroom_snapshot);
  set_if(p, kWheelhouse, b.cleanroom_wheelhouse);
  set_if(p, kRecipe, b.cleanroom_recipe);
  if (b.source_date_epoch) p.set(kEpoch, std::to_string(*b.source_date_epoch));
  return write_deb822(p);
}

BuildinfoFile parse_buildinfo(std::string_view text, const std::string& name) {
  Deb822File file = parse_deb822(text, name, {.allow_comments = false, .allow_signed = true});
  if (file.paragraphs.size() != 1)
    throw_input(fmt::format("{}: a .buildinfo holds exactly one paragraph, this one has {}", name,
                            file.paragraphs.size()));
  const Deb822Paragraph& p = file.paragraphs[0];
  BuildinfoFile b;
  auto at = [&](const char* field) {
    const Deb822Field* f = p.find(field);
    return fmt::format("{}:{}", name, f ? f->line : 1);
  };
  b.format = p.required("Format");
  if (b.format != "1.0")
    throw_input(
        fmt::format("{}: .buildinfo Format '{}' is not supported (only 1.0); upgrade cleanroom",
                    at("Format"), b.format));
  b.source = p.required("Source");
  b.version = p.required("Version");
  for (const std::string& line : deb822_lines(p.get("Binary-Only-Changes").value_or("")))
    b.binary_only_changes += line + "\n";
  b.binaries = deb822_words(p.get("Binary").value_or(""));
  b.architectures = deb822_words(p.get("Architecture").value_or(""));
  for (const auto& sums : {std::pair{"Checksums-Md5", ChecksumKind::Md5},
                           {"Checksums-Sha1", ChecksumKind::Sha1},
                           {"Checksums-Sha256", ChecksumKind::Sha256}})
    if (auto value = p.get(sums.first))
      with_context(at(sums.first),
                   [&] { parse_checksums_field(*value, sums.second, sums.first, b.files); });
  b.build_origin = p.get("Build-Origin").value_or("");
  b.build_architecture = p.get("Build-Architecture").value_or("");
  b.build_kernel_version = p.get("Build-Kernel-Version").value_or("");
  b.build_date = p.get("Build-Date").value_or("");
  b.build_path = p.get("Build-Path").value_or("");
  b.build_tainted_by = deb822_words(p.get("Build-Tainted-By").value_or(""));
  std::string deps = p.get("Installed-Build-Depends").value_or("");
  for (std::size_t pos = 0; pos <= deps.size();) {
    std::size_t comma = std::min(deps.find(',', pos), deps.size());
    std::string_view entry =
        deb822_text::trim(std::string_view(deps).substr(pos, comma - pos), " \t\n");
    if (!entry.empty()) b.installed_build_depends.emplace_back(entry);
    pos = comma + 1;
  }
  for (const std::string& line : deb822_lines(p.get("Environment").value_or(""))) {
    std::size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || line.size() < eq + 3 || line[eq + 1] != '"' ||
        line.back() != '"')
      throw_input(
          fmt::format("{}: Environment line '{}' is not NAME=\"value\"", at("Environment"), line));
    std::string value;
    std::string_view quoted = std::string_view(line).substr(eq + 2, line.size() - eq - 3);
    for (std::size_t i = 0; i < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 1 < quoted.size() && quoted[i + 1] == '"') ++i;
      value += quoted[i];
    }
    b.environment.emplace_back(line.substr(0, eq), value);
  }
  b.cleanroom_snapshot = p.get(kSnapshot).value_or("");
  b.cleanroom_wheelhouse = p.get(kWheelhouse).value_or("");
  b.cleanroom_recipe = p.get(kRecipe).value_or("");
  if (auto epoch = p.get(kEpoch)) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(epoch->data(), epoch->data() + epoch->size(), value);
    if (ec != std::errc() || end != epoch->data() + epoch->size())
      throw_input(
          fmt::format("{}: {} '{}' is not a number of seconds", at(kEpoch), kEpoch, *epoch));
    b.source_date_epoch = value;
  }
  return b;
}

bool rebuild_environment_variable(std::string_view name) {
  return name == "DEB_BUILD_OPTIONS" || name == "DEB_BUILD_PROFILES" || name == "LANG" ||
         name == "LANGUAGE" || name == "TZ" ||
         (name.starts_with("LC_") && name.size() > 3 &&
          std::all_of(name.begin() + 3, name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
}

BuildinfoFile read_buildinfo_file(const std::string& path) {
  return parse_buildinfo(read_file(path), path);
}

}  // namespace cleanroom::formats
