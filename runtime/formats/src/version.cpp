// A transcription of dpkg's parseversion() and verrevcmp(): the ordering of
// versions decides which package apt installs, so it must match dpkg exactly,
// quirks included (an epoch may carry a '+' sign because dpkg uses strtol).
#include "cleanroom/formats/version.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>

#include "cleanroom/base/error.h"

namespace cleanroom::formats {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

[[noreturn]] void bad_syntax(std::string_view text, std::string_view reason) {
  throw_input(fmt::format("version '{}' has bad syntax: {}", text, reason));
}

int order(char c) {
  if (is_digit(c)) return 0;
  if (is_alpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  if (c) return static_cast<unsigned char>(c) + 256;
  return 0;
}

int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((at(a, i) && !is_digit(at(a, i))) || (at(b, j) && !is_digit(at(b, j)))) {
      int ac = order(at(a, i));
      int bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (is_digit(at(a, i)) && is_digit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i;
      ++j;
    }
    if (is_digit(at(a, i))) return 1;
    if (is_digit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

// strtol's view of the epoch: an optional sign, then digits up to the colon.
std::uint32_t parse_epoch(std::string_view original, std::string_view epoch) {
  std::size_t k = 0;
  bool negative = false;
  if (k < epoch.size() && (epoch[k] == '+' || epoch[k] == '-')) negative = epoch[k++] == '-';
  // strtol consuming nothing is what dpkg calls an empty epoch.
  if (k == epoch.size() || !is_digit(epoch[k])) bad_syntax(original, "epoch in version is empty");
  constexpr unsigned long long kCap = static_cast<unsigned long long>(INT_MAX) + 1;
  unsigned long long value = 0;
  for (; k < epoch.size(); ++k) {
    if (!is_digit(epoch[k])) bad_syntax(original, "epoch in version is not number");
    value = std::min(kCap, value * 10 + static_cast<unsigned>(epoch[k] - '0'));
  }
  if (negative && value != 0) bad_syntax(original, "epoch in version is negative");
  if (value > INT_MAX) bad_syntax(original, "epoch in version is too big");
  return static_cast<std::uint32_t>(value);
}

}  // namespace

Version parse_version(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  if (s.empty()) bad_syntax(text, "version string is empty");
  for (char c : s)
    if (is_blank(c)) bad_syntax(text, "version string has embedded spaces");

  Version version;
  if (std::size_t colon = s.find(':'); colon != std::string_view::npos) {
    version.epoch = parse_epoch(text, s.substr(0, colon));
    s.remove_prefix(colon + 1);
    if (s.empty()) bad_syntax(text, "nothing after colon in version number");
  }
  if (std::size_t hyphen = s.rfind('-'); hyphen != std::string_view::npos) {
    version.revision = std::string(s.substr(hyphen + 1));
    s = s.substr(0, hyphen);
    if (version.revision.empty()) bad_syntax(text, "revision number is empty");
  }
  version.upstream = std::string(s);
  if (s.empty()) bad_syntax(text, "version number is empty");
  if (!is_digit(s[0])) bad_syntax(text, "version number does not start with digit");
  for (char c : s)
    if (!is_digit(c) && !is_alpha(c) && std::string_view(".-+~:").find(c) == std::string_view::npos)
      bad_syntax(text, "invalid character in version number");
  for (char c : version.revision)
    if (!is_digit(c) && !is_alpha(c) && std::string_view(".+~").find(c) == std::string_view::npos)
      bad_syntax(text, "invalid character in revision number");
  return version;
}

std::string Version::without_epoch() const {
  return revision.empty() ? upstream : upstream + "-" + revision;
}

std::string Version::to_string() const {
  // "0:1:2" must keep its epoch, or it would read back as epoch 1.
  bool need_epoch = epoch != 0 || upstream.find(':') != std::string::npos;
  return need_epoch ? std::to_string(epoch) + ":" + without_epoch() : without_epoch();
}

int compare_versions(const Version& a, const Version& b) {
  if (a.epoch != b.epoch) return a.epoch > b.epoch ? 1 : -1;
  if (int rc = verrevcmp(a.upstream, b.upstream)) return rc;
  return verrevcmp(a.revision, b.revision);
}

bool version_satisfies(const Version& candidate, VersionRelation relation, const Version& bound) {
  int rc = compare_versions(candidate, bound);
  switch (relation) {
    case VersionRelation::Earlier:
      return rc < 0;
    case VersionRelation::EarlierEqual:
      return rc <= 0;
    case VersionRelation::Equal:
      return rc == 0;
    case VersionRelation::LaterEqual:
      return rc >= 0;
    case VersionRelation::Later:
      return rc > 0;
  }
  return false;
}

std::string_view relation_symbol(VersionRelation relation) {
  switch (relation) {
    case VersionRelation::Earlier:
      return "<<";
    case VersionRelation::EarlierEqual:
      return "<=";
    case VersionRelation::Equal:
      return "=";
    case VersionRelation::LaterEqual:
      return ">=";
    case VersionRelation::Later:
      return ">>";
  }
  return "?";
}

}  // namespace cleanroom::formats
