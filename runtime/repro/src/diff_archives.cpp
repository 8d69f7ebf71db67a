// Tar, zip and ar (and so .deb) comparisons. Each turns both sides into a list
// of members with rendered metadata fields, and one routine compares the lists:
// membership, order, type, each field, then the contents, recursing into them.
#include <fmt/format.h>

#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "cleanroom/formats/ar.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/formats/zip.h"
#include "diff_engine.h"

namespace cleanroom::repro::detail {

namespace {

struct Member {
  std::string name;
  std::string type;  // "file", "directory", "symlink", ...
  std::vector<std::pair<std::string, std::string>> fields;  // compared in this order
  bool has_content = false;
  std::string content;
};

std::string format_time(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (!::gmtime_r(&tt, &tm)) return std::to_string(t);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("{} ({} UTC)", t, text);
}

std::string octal_mode(std::uint32_t mode) { return fmt::format("{:04o}", mode & 07777); }

const char* tar_type(formats::EntryType type) {
  using formats::EntryType;
  switch (type) {
    case EntryType::File: return "file";
    case EntryType::Directory: return "directory";
    case EntryType::Symlink: return "symlink";
    case EntryType::Hardlink: return "hardlink";
    case EntryType::CharDevice: return "character device";
    case EntryType::BlockDevice: return "block device";
    case EntryType::Fifo: return "fifo";
  }
  return "?";
}

std::vector<Member> tar_members(std::string_view data, const std::string& name) {
  std::vector<Member> out;
  formats::read_tar_memory(data, name, [&](const formats::TarEntry& e, const auto& read) {
    Member m;
    m.name = e.path;
    m.type = tar_type(e.type);
    m.fields = {{"mode", octal_mode(e.mode)},
                {"owner", fmt::format("{}/{} ({}/{})", e.uid, e.gid, e.uname, e.gname)},
                {"mtime", format_time(e.mtime)}};
    if (e.type == formats::EntryType::Symlink || e.type == formats::EntryType::Hardlink)
      m.fields.emplace_back("link target", e.link_target);
    if (e.type == formats::EntryType::CharDevice || e.type == formats::EntryType::BlockDevice)
      m.fields.emplace_back("device", fmt::format("{},{}", e.dev_major, e.dev_minor));
    std::string xattrs;
    for (const auto& [key, value] : e.xattrs) xattrs += key + "=" + value + " ";
    if (!xattrs.empty()) m.fields.emplace_back("xattrs", xattrs);
    if (e.type == formats::EntryType::File) {
      m.has_content = true;
      m.content = read();
    }
    out.push_back(std::move(m));
  });
  return out;
}

std::vector<Member> zip_members(std::string_view data, const std::string& name) {
  formats::ZipArchive archive = formats::read_zip(data, name);
  std::vector<Member> out;
  for (formats::ZipEntry& e : archive.entries) {
    Member m;
    m.name = e.name;
    m.type = e.is_directory() ? "directory" : e.is_symlink() ? "symlink" : "file";
    m.fields = {{"mode", e.mode ? fmt::format("{:06o}", e.mode) : "(none)"},
                {"mtime", format_time(e.mtime)}};
    if (e.is_symlink()) m.fields.emplace_back("link target", e.data);
    m.has_content = !e.is_directory() && !e.is_symlink();
    m.content = std::move(e.data);
    out.push_back(std::move(m));
  }
  if (!archive.comment.empty()) {
    Member comment;
    comment.name = "(zip comment)";
    comment.type = "comment";
    comment.has_content = true;
    comment.content = archive.comment;
    out.push_back(std::move(comment));
  }
  return out;
}

std::vector<Member> ar_members(std::string_view data, const std::string& name) {
  std::vector<Member> out;
  for (const formats::ArMember& a : formats::list_ar_memory(data, name)) {
    Member m;
    m.name = a.name;
    m.type = "member";
    m.fields = {{"mode", fmt::format("{:o}", a.mode)},
                {"owner", fmt::format("{}/{}", a.uid, a.gid)},
                {"mtime", format_time(a.mtime)}};
    m.has_content = true;
    m.content = std::string(data.substr(static_cast<std::size_t>(a.offset), static_cast<std::size_t>(a.size)));
    out.push_back(std::move(m));
  }
  return out;
}

// Static libraries may repeat a member name; later ones get "(2)", "(3)", ...
std::map<std::string, const Member*> by_name(const std::vector<Member>& members,
                                             std::vector<std::string>& order) {
  std::map<std::string, const Member*> out;
  for (const Member& m : members) {
    std::string key = m.name;
    for (int n = 2; out.count(key); ++n) key = fmt::format("{} ({})", m.name, n);
    out[key] = &m;
    order.push_back(key);
  }
  return out;
}

std::string base_name(const std::string& name) {
  std::string n = name;
  while (n.size() > 1 && n.back() == '/') n.pop_back();
  return n.substr(n.rfind('/') == std::string::npos ? 0 : n.rfind('/') + 1);
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The first place where the common members come in a different order.
std::optional<std::pair<std::string, std::string>> order_difference(
    const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
  std::vector<std::string> ca, cb;
  for (const auto& n : a) if (in_b.count(n)) ca.push_back(n);
  for (const auto& n : b) if (in_a.count(n)) cb.push_back(n);
  for (std::size_t i = 0; i < ca.size(); ++i)
    if (ca[i] != cb[i])
      return std::make_pair(fmt::format("#{} is '{}'", i + 1, ca[i]),
                            fmt::format("#{} is '{}'", i + 1, cb[i]));
  return std::nullopt;
}

// Compares two member lists; used by every container format.
void compare_members(Differ& differ, const std::string& path, const std::vector<Member>& a,
                     const std::vector<Member>& b, int depth, bool deb, bool deb_control) {
  std::vector<std::string> order_a, order_b;
  auto ma = by_name(a, order_a), mb = by_name(b, order_b);
  if (auto moved = order_difference(order_a, order_b))
    differ.report({path, DifferenceKind::Metadata, "member order", moved->first, moved->second, ""});
  std::set<std::string> names(order_a.begin(), order_a.end());
  names.insert(order_b.begin(), order_b.end());
  for (const std::string& name : names) {
    std::string where = member_path(path, name);
    auto ia = ma.find(name), ib = mb.find(name);
    if (ib == mb.end()) {
      differ.report({where, DifferenceKind::OnlyInA, "", ia->second->type, "", ""});
      continue;
    }
    if (ia == ma.end()) {
      differ.report({where, DifferenceKind::OnlyInB, "", "", ib->second->type, ""});
      continue;
    }
    const Member& x = *ia->second;
    const Member& y = *ib->second;
    if (x.type != y.type) {
      differ.report({where, DifferenceKind::Type, "type", x.type, y.type, ""});
      continue;
    }
    for (const auto& [field, value] : x.fields) {
      std::string other = "(none)";
      for (const auto& [f, v] : y.fields)
        if (f == field) other = v;
      if (value != other) differ.report({where, DifferenceKind::Metadata, field, value, other, ""});
    }
    if (!x.has_content || x.content == y.content) continue;
    if (deb_control && name == "control")
      differ.control_fields(where, x.content, y.content);
    else
      differ.blobs(where, base_name(name), x.content, y.content, depth + 1,
                   deb && starts_with(name, "control.tar"));
  }
}

// Names a container in parse errors; the inputs themselves have the path "".
std::string error_name(const std::string& path, const char* side) {
  return fmt::format("'{}' ({})", path.empty() ? "input" : path, side);
}

using MemberReader = std::vector<Member> (*)(std::string_view data, const std::string& name);

// Both sides are parsed before anything is reported (see Differ::blobs).
void compare_container(Differ& differ, const std::string& path, std::string_view a,
                       std::string_view b, int depth, MemberReader read, bool deb,
                       bool deb_control, const char* what) {
  std::vector<Member> ma = read(a, error_name(path, "A"));
  std::vector<Member> mb = read(b, error_name(path, "B"));
  std::size_t before = differ.found();
  compare_members(differ, path, ma, mb, depth, deb, deb_control);
  differ.container_bytes(path, before, a, b, what);
}

}  // namespace

void Differ::tars(const std::string& path, std::string_view a, std::string_view b, int depth,
                  bool deb_control) {
  compare_container(*this, path, a, b, depth, tar_members, false, deb_control, "tar");
}

void Differ::zips(const std::string& path, std::string_view a, std::string_view b, int depth) {
  compare_container(*this, path, a, b, depth, zip_members, false, false, "zip");
}

void Differ::ars(const std::string& path, std::string_view a, std::string_view b, int depth,
                 bool deb) {
  compare_container(*this, path, a, b, depth, ar_members, deb, false, deb ? "deb" : "ar");
}

}  // namespace cleanroom::repro::detail
