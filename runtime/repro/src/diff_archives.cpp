// Tar, zip and ar (and so .deb) comparisons. Each turns both sides into
// members with rendered metadata fields, and one MemberMatcher pairs and
// compares them (diff_members.h). The two sides of a tar are read at once
// (tar_pair.h); an ar's members are viewed inside the input, never copied.
#include <fmt/format.h>

#include <ctime>
#include <optional>

#include "cleanroom/base/sha256.h"
#include "cleanroom/formats/ar.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/formats/zip.h"
#include "diff_engine.h"
#include "diff_members.h"
#include "tar_pair.h"

namespace cleanroom::repro::detail {

namespace {

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

// Reads a regular file's content, holding at most max_memory bytes of it: a
// larger one is hashed as it streams by. Every byte is spent from budget.
void read_member_content(Member& m, const formats::TarChunkReader& read, ByteBudget& budget,
                         std::uint64_t max_memory, const std::string& what) {
  std::optional<Sha256> digest;
  std::uint64_t total = 0;
  char buf[1 << 16];
  while (std::size_t n = read(buf, sizeof buf)) {
    budget.spend(n, what);
    total += n;
    if (!digest && m.owned.size() + n <= max_memory) {
      m.owned.append(buf, n);
      continue;
    }
    if (!digest) {
      digest.emplace();
      digest->update(m.owned);
      std::string().swap(m.owned);
    }
    digest->update(buf, n);
  }
  if (digest) m.digested = Digested{total, digest->hex()};
}

Member tar_member(const formats::TarEntry& e, const formats::TarChunkReader& read,
                  ByteBudget& budget, std::uint64_t max_memory, const std::string& path) {
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
    read_member_content(m, read, budget, max_memory, "'" + member_path(path, e.path) + "'");
  }
  return m;
}

std::vector<Member> zip_members(std::string_view data, const std::string& name,
                                ByteBudget& budget) {
  formats::ZipArchive archive = formats::read_zip(data, name, budget);
  std::vector<Member> out;
  for (formats::ZipEntry& e : archive.entries) {
    Member m;
    m.name = e.name;
    m.type = e.is_directory() ? "directory" : e.is_symlink() ? "symlink" : "file";
    m.fields = {{"mode", e.mode ? fmt::format("{:06o}", e.mode) : "(none)"},
                {"mtime", format_time(e.mtime)}};
    if (e.is_symlink()) m.fields.emplace_back("link target", e.data);
    m.has_content = !e.is_directory() && !e.is_symlink();
    m.owned = std::move(e.data);
    out.push_back(std::move(m));
  }
  if (!archive.comment.empty()) {
    Member comment;
    comment.name = "(zip comment)";
    comment.type = "comment";
    comment.has_content = true;
    comment.owned = archive.comment;
    out.push_back(std::move(comment));
  }
  return out;
}

std::vector<Member> ar_members(std::string_view data, const std::string& name, ByteBudget&) {
  std::vector<Member> out;
  for (const formats::ArMember& a : formats::list_ar_memory(data, name)) {
    Member m;
    m.name = a.name;
    m.type = "member";
    m.fields = {{"mode", fmt::format("{:o}", a.mode)},
                {"owner", fmt::format("{}/{}", a.uid, a.gid)},
                {"mtime", format_time(a.mtime)}};
    m.has_content = true;
    m.borrowed = data.substr(static_cast<std::size_t>(a.offset), static_cast<std::size_t>(a.size));
    out.push_back(std::move(m));
  }
  return out;
}

// Names a container in parse errors; the inputs themselves have the path "".
std::string error_name(const std::string& path, const char* side) {
  return fmt::format("'{}' ({})", path.empty() ? "input" : path, side);
}

using MemberReader = std::vector<Member> (*)(std::string_view data, const std::string& name,
                                             ByteBudget& budget);

// Both sides are parsed before anything is reported (see Differ::blobs).
void compare_container(Differ& differ, const std::string& path, std::string_view a,
                       std::string_view b, int depth, MemberReader read, bool deb,
                       const char* what) {
  std::vector<Member> ma = read(a, error_name(path, "A"), differ.budget());
  std::vector<Member> mb = read(b, error_name(path, "B"), differ.budget());
  MemberMatcher matcher;
  for (Member& m : ma) matcher.add(0, std::move(m));
  for (Member& m : mb) matcher.add(1, std::move(m));
  std::size_t before = differ.found();
  matcher.report(differ, path, depth, deb, false);
  differ.container_bytes(path, before, a, b, what);
}

}  // namespace

void Differ::tars(const std::string& path, std::string_view a, std::string_view b, int depth,
                  bool deb_control) {
  MemberMatcher matcher;
  std::uint64_t max_memory = options_.max_member_memory;
  auto make = [this, max_memory, &path](const formats::TarEntry& e,
                                        const formats::TarChunkReader& read) {
    return tar_member(e, read, budget_, max_memory, path);
  };
  read_tar_pair(a, error_name(path, "A"), b, error_name(path, "B"), make, options_.concurrent,
                matcher);
  std::size_t before = found();
  matcher.report(*this, path, depth, false, deb_control);
  container_bytes(path, before, a, b, "tar");
}

void Differ::zips(const std::string& path, std::string_view a, std::string_view b, int depth) {
  compare_container(*this, path, a, b, depth, zip_members, false, "zip");
}

void Differ::ars(const std::string& path, std::string_view a, std::string_view b, int depth,
                 bool deb) {
  compare_container(*this, path, a, b, depth, ar_members, deb, deb ? "deb" : "ar");
}

}  // namespace cleanroom::repro::detail
