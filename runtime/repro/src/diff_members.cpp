#include "diff_members.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cleanroom/base/path.h"
#include "cleanroom/base/sha256.h"

namespace cleanroom::repro::detail {

namespace {

// A directory member's name ends in '/' ("usr/share/"): its own name is the
// last part before that.
std::string member_file_name(std::string name) {
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  return file_name(name);
}

// Equal members report nothing; anything else is kept for the full comparison.
bool same_content(const Member& x, const Member& y) {
  if (x.digested || y.digested) return x.digested == y.digested;
  return x.content() == y.content();
}

bool same(const Member& x, const Member& y) {
  return x.type == y.type && x.fields == y.fields && x.has_content == y.has_content &&
         (!x.has_content || same_content(x, y));
}

std::string content_size(const Member& m) {
  return fmt::format("{} bytes", m.digested ? m.digested->size : m.content().size());
}

std::string content_digest(const Member& m) {
  return m.digested ? m.digested->sha256 : sha256_hex(m.content());
}

// Contents too large to hold are told apart by size and digest only.
void report_digested(Differ& differ, const std::string& where, const Member& x, const Member& y) {
  differ.report({where, DifferenceKind::Content, "binary", content_size(x), content_size(y),
                 fmt::format("larger than {} bytes (--max-member-memory): compared by SHA-256, "
                             "not opened\n--- a sha256 {}\n+++ b sha256 {}\n",
                             differ.options().max_member_memory, content_digest(x),
                             content_digest(y))});
}

// The first place where the common members come in a different order.
std::optional<std::pair<std::string, std::string>> order_difference(
    const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::unordered_set<std::string> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
  std::vector<const std::string*> ca, cb;
  for (const auto& n : a) if (in_b.count(n)) ca.push_back(&n);
  for (const auto& n : b) if (in_a.count(n)) cb.push_back(&n);
  for (std::size_t i = 0; i < ca.size(); ++i)
    if (*ca[i] != *cb[i])
      return std::make_pair(fmt::format("#{} is '{}'", i + 1, *ca[i]),
                            fmt::format("#{} is '{}'", i + 1, *cb[i]));
  return std::nullopt;
}

}  // namespace

void MemberMatcher::add(int side, Member member) {
  Side& own = sides_[side];
  Side& other = sides_[1 - side];
  // Static libraries may repeat a member name; later ones get "(2)", "(3)", ...
  std::string key = member.name;
  for (int n = 2; own.keys.count(key); ++n) key = fmt::format("{} ({})", member.name, n);
  own.keys.insert(key);
  own.order.push_back(key);
  auto match = other.waiting.find(key);
  if (match == other.waiting.end()) {
    own.waiting.emplace(std::move(key), std::move(member));
    return;
  }
  if (!same(member, match->second)) {
    other.kept.insert(other.waiting.extract(match));
    own.kept.emplace(std::move(key), std::move(member));
  } else {
    other.waiting.erase(match);
  }
}

void MemberMatcher::report(Differ& differ, const std::string& path, int depth, bool deb,
                           bool deb_control) {
  // What still waits was never seen on the other side.
  for (Side& side : sides_) side.kept.merge(side.waiting);
  std::map<std::string, Member>& ma = sides_[0].kept;
  std::map<std::string, Member>& mb = sides_[1].kept;
  if (auto moved = order_difference(sides_[0].order, sides_[1].order))
    differ.report({path, DifferenceKind::Metadata, "member order", moved->first, moved->second, ""});
  std::set<std::string> names;
  for (const auto& [name, m] : ma) names.insert(name);
  for (const auto& [name, m] : mb) names.insert(name);
  for (const std::string& name : names) {
    std::string where = member_path(path, name);
    auto ia = ma.find(name), ib = mb.find(name);
    if (ib == mb.end()) {
      differ.report({where, DifferenceKind::OnlyInA, "", ia->second.type, "", ""});
      continue;
    }
    if (ia == ma.end()) {
      differ.report({where, DifferenceKind::OnlyInB, "", "", ib->second.type, ""});
      continue;
    }
    const Member& x = ia->second;
    const Member& y = ib->second;
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
    // A field only B has (xattrs set on one side only).
    for (const auto& [field, value] : y.fields) {
      bool in_a = std::any_of(x.fields.begin(), x.fields.end(),
                              [&](const auto& kv) { return kv.first == field; });
      if (!in_a) differ.report({where, DifferenceKind::Metadata, field, "(none)", value, ""});
    }
    if (!x.has_content || same_content(x, y)) continue;
    if (x.digested || y.digested)
      report_digested(differ, where, x, y);
    else if (deb_control && name == "control")
      differ.control_fields(where, x.content(), y.content());
    else
      differ.blobs(where, member_file_name(name), x.content(), y.content(), depth + 1,
                   deb && name.compare(0, 11, "control.tar") == 0);
  }
}

}  // namespace cleanroom::repro::detail
