#include "cleanroom/store/manifest.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <map>

#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"

namespace cleanroom::store {

namespace {

constexpr std::string_view kHeader = "cleanroom-manifest ";

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

template <typename T>
bool parse_number(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string optional_field(const std::string& s) {
  return s.empty() ? "-" : escape_manifest_field(s);
}

}  // namespace

std::string escape_manifest_field(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    // '-' alone means "no value", so a literal "-" name is escaped too.
    if (c == '\\' || c < 0x21 || c > 0x7e || (c == '-' && raw.size() == 1))
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

std::string unescape_manifest_field(std::string_view escaped) {
  std::string out;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\\' && escaped.size() - i >= 4 &&
        escaped[i + 1] == 'x' && hex_value(escaped[i + 2]) >= 0 &&
        hex_value(escaped[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(escaped[i + 2]) * 16 + hex_value(escaped[i + 3]));
      i += 3;
    } else {
      out += escaped[i];
    }
  }
  return out;
}

std::string encode_manifest(std::vector<ManifestEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
  std::string out = fmt::format("{}{}\n", kHeader, kManifestVersion);
  for (const auto& e : entries)
    out += fmt::format("{}\t{}\t{:04o}\t{}\t{}\t{}\t{}\t{}\n", escape_manifest_field(e.path),
                       e.type, e.mode, e.uid, e.gid, e.size, e.sha256.empty() ? "-" : e.sha256,
                       optional_field(e.target));
  return out;
}

std::vector<ManifestEntry> decode_manifest(std::string_view text,
                                           const std::string& name_for_errors) {
  std::vector<ManifestEntry> out;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    throw_input(fmt::format("{}:{}: {}", name_for_errors, line_no, what));
  };
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line_no == 1) {
      int version = 0;
      if (line.substr(0, kHeader.size()) != kHeader ||
          !parse_number(line.substr(kHeader.size()), version))
        fail("not a cleanroom manifest (expected 'cleanroom-manifest 1')");
      if (version > kManifestVersion)
        fail(fmt::format("manifest version {} is newer than this cleanroom reads ({}); "
                         "upgrade cleanroom", version, kManifestVersion));
      continue;
    }
    auto f = split_tabs(line);
    if (f.size() != 8) fail(fmt::format("expected 8 tab-separated fields, got {}", f.size()));
    ManifestEntry e;
    e.path = unescape_manifest_field(f[0]);
    if (f[1].size() != 1 || std::string_view("fdlhcbp").find(f[1][0]) == std::string_view::npos)
      fail(fmt::format("unknown entry type '{}'", f[1]));
    e.type = f[1][0];
    if (!parse_number(f[2], e.mode, 8)) fail(fmt::format("bad mode '{}'", f[2]));
    if (!parse_number(f[3], e.uid) || !parse_number(f[4], e.gid))
      fail(fmt::format("bad owner '{}:{}'", f[3], f[4]));
    if (!parse_number(f[5], e.size)) fail(fmt::format("bad size '{}'", f[5]));
    if (f[6] != "-") e.sha256 = std::string(f[6]);
    if (f[7] != "-") e.target = unescape_manifest_field(f[7]);
    out.push_back(std::move(e));
  }
  if (line_no == 0) fail("empty manifest");
  return out;
}

std::vector<ManifestChange> compare_manifests(const std::vector<ManifestEntry>& recorded,
                                              const std::vector<ManifestEntry>& actual) {
  std::map<std::string, const ManifestEntry*> want, have;
  for (const auto& e : recorded) want[e.path] = &e;
  for (const auto& e : actual) have[e.path] = &e;
  std::vector<ManifestChange> out;
  for (const auto& [path, w] : want) {
    auto it = have.find(path);
    if (it == have.end()) {
      out.push_back({path, "removed"});
      continue;
    }
    const ManifestEntry& h = *it->second;
    std::vector<std::string> what;
    if (w->type != h.type) what.push_back(fmt::format("type {} -> {}", w->type, h.type));
    if (w->mode != h.mode) what.push_back(fmt::format("mode {:04o} -> {:04o}", w->mode, h.mode));
    if (w->uid != h.uid || w->gid != h.gid)
      what.push_back(fmt::format("owner {}:{} -> {}:{}", w->uid, w->gid, h.uid, h.gid));
    if (w->size != h.size) what.push_back(fmt::format("size {} -> {}", w->size, h.size));
    if (w->sha256 != h.sha256 && w->size == h.size) what.push_back("content");
    if (w->target != h.target)
      what.push_back(fmt::format("target '{}' -> '{}'", w->target, h.target));
    if (!what.empty()) out.push_back({path, join(what, ", ")});
  }
  for (const auto& [path, h] : have)
    if (!want.count(path)) out.push_back({path, "added"});
  std::sort(out.begin(), out.end(),
            [](const ManifestChange& a, const ManifestChange& b) { return a.path < b.path; });
  return out;
}

}  // namespace cleanroom::store
