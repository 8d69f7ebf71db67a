#include "cleanroom/python/specifier.h"

#include <algorithm>
#include <cctype>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/base/join.h"

namespace cleanroom::python {
namespace {

using ascii::lower;
using ascii::trim;

const char* op_text(SpecOp op) {
  switch (op) {
    case SpecOp::Compatible:
      return "~=";
    case SpecOp::Equal:
      return "==";
    case SpecOp::NotEqual:
      return "!=";
    case SpecOp::LessEqual:
      return "<=";
    case SpecOp::GreaterEqual:
      return ">=";
    case SpecOp::Less:
      return "<";
    case SpecOp::Greater:
      return ">";
    case SpecOp::Arbitrary:
      return "===";
  }
  return "?";
}

// Two-character operators before their one-character prefixes.
const std::pair<std::string_view, SpecOp> kOps[] = {
    {"===", SpecOp::Arbitrary}, {"~=", SpecOp::Compatible}, {"==", SpecOp::Equal},
    {"!=", SpecOp::NotEqual},   {"<=", SpecOp::LessEqual},  {">=", SpecOp::GreaterEqual},
    {"<", SpecOp::Less},        {">", SpecOp::Greater}};

// The segments a prefix match compares: epoch, release numbers, then the
// pre/post/dev parts as single tokens (packaging's _version_split).
std::vector<std::string> split_for_prefix(const Version& v, std::size_t min_release) {
  std::vector<std::string> out{std::to_string(v.epoch)};
  for (std::size_t i = 0; i < std::max(min_release, v.release.size()); ++i) {
    out.push_back(i < v.release.size() ? std::to_string(v.release[i]) : "0");
  }
  if (v.pre)
    out.push_back((v.pre->kind == 'r' ? std::string("rc") : std::string(1, v.pre->kind)) +
                  std::to_string(v.pre->number));
  if (v.post) out.push_back("post" + std::to_string(*v.post));
  if (v.dev) out.push_back("dev" + std::to_string(*v.dev));
  return out;
}

bool prefix_match(const Version& candidate, const Version& prefix) {
  auto want = split_for_prefix(prefix, 0);
  auto have = split_for_prefix(candidate.public_version(), prefix.release.size());
  if (have.size() < want.size()) return false;
  return std::equal(want.begin(), want.end(), have.begin());
}

}  // namespace

Specifier Specifier::parse(std::string_view raw) {
  std::string_view text = trim(raw);
  Specifier s;
  bool found = false;
  for (const auto& [word, op] : kOps) {
    if (text.substr(0, word.size()) == word) {
      s.op = op;
      text = trim(text.substr(word.size()));
      found = true;
      break;
    }
  }
  if (!found) {
    throw_input(quote_excerpt(trim(raw)) +
                " has no comparison operator; use one of ==, !=, <=, >=, <, >, ~=, ===");
  }
  if (text.empty()) throw_input(quote_excerpt(trim(raw)) + " has no version after the operator");
  s.text = std::string(text);
  if (s.op == SpecOp::Arbitrary) {
    if (text.find_first_of(" \t,;") != std::string_view::npos) {
      throw_input(quote_excerpt(trim(raw)) + ": === takes a single word");
    }
    return s;
  }
  std::string_view version_text = text;
  if (version_text.size() >= 2 && version_text.substr(version_text.size() - 2) == ".*") {
    if (s.op != SpecOp::Equal && s.op != SpecOp::NotEqual) {
      throw_input(quote_excerpt(trim(raw)) + ": a .* wildcard works only with == and !=");
    }
    s.wildcard = true;
    version_text.remove_suffix(2);
  }
  auto v = Version::parse(version_text);
  if (!v) {
    throw_input(quote_excerpt(trim(raw)) + ": " + quote_excerpt(version_text) +
                " is not a valid version (PEP 440)");
  }
  s.version = *v;
  if (!s.version.local.empty() &&
      ((s.op != SpecOp::Equal && s.op != SpecOp::NotEqual) || s.wildcard)) {
    throw_input(quote_excerpt(trim(raw)) +
                ": a local version (+...) is allowed only with == and != without .*");
  }
  if (s.wildcard &&
      (s.version.pre || s.version.post || s.version.dev || !s.version.local.empty())) {
    throw_input(quote_excerpt(trim(raw)) +
                ": a .* wildcard follows release numbers only (e.g. ==1.2.*)");
  }
  if (s.op == SpecOp::Compatible && s.version.release.size() < 2) {
    throw_input(quote_excerpt(trim(raw)) +
                ": ~= needs at least two release numbers (e.g. ~=1.4); use >= for one");
  }
  return s;
}

bool Specifier::contains(const Version& v) const {
  switch (op) {
    case SpecOp::Arbitrary:
      return lower(v.str()) == lower(text);
    case SpecOp::Equal:
    case SpecOp::NotEqual: {
      bool eq;
      if (wildcard) {
        eq = prefix_match(v, version);
      } else if (!version.local.empty()) {
        eq = v == version;
      } else {
        eq = v.public_version() == version;
      }
      return op == SpecOp::Equal ? eq : !eq;
    }
    case SpecOp::Compatible: {
      Version prefix = version.base_version();
      prefix.release.pop_back();
      return v.public_version() >= version && prefix_match(v, prefix);
    }
    case SpecOp::LessEqual:
      return v.public_version() <= version;
    case SpecOp::GreaterEqual:
      return v.public_version() >= version;
    case SpecOp::Less:
      // "<1.0" must not admit 1.0rc1 though it sorts below 1.0.
      if (!(v < version)) return false;
      return version.is_prerelease() || !v.is_prerelease() ||
             v.base_version() != version.base_version();
    case SpecOp::Greater:
      // ">1.0" must not admit 1.0.post1 or 1.0+local.
      if (!(v > version)) return false;
      if (!version.is_postrelease() && v.is_postrelease() &&
          v.base_version() == version.base_version()) {
        return false;
      }
      return v.local.empty() || v.base_version() != version.base_version();
  }
  return false;
}

bool Specifier::admits_prereleases() const {
  switch (op) {
    case SpecOp::Equal:
    case SpecOp::GreaterEqual:
    case SpecOp::LessEqual:
    case SpecOp::Compatible:
      return version.is_prerelease();
    case SpecOp::Arbitrary: {
      auto v = Version::parse(text);
      return v && v->is_prerelease();
    }
    default:
      return false;
  }
}

std::string Specifier::str() const {
  if (op == SpecOp::Arbitrary) return std::string("===") + text;
  return std::string(op_text(op)) + version.str() + (wildcard ? ".*" : "");
}

SpecifierSet SpecifierSet::parse(std::string_view text) {
  SpecifierSet set;
  std::string_view rest = trim(text);
  if (rest.empty()) return set;
  while (true) {
    std::size_t comma = rest.find(',');
    set.specifiers.push_back(Specifier::parse(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return set;
}

bool SpecifierSet::contains(const Version& v, bool allow_prereleases) const {
  if (v.is_prerelease() && !allow_prereleases && !admits_prereleases()) return false;
  return std::all_of(specifiers.begin(), specifiers.end(),
                     [&](const Specifier& s) { return s.contains(v); });
}

bool SpecifierSet::admits_prereleases() const {
  return std::any_of(specifiers.begin(), specifiers.end(),
                     [](const Specifier& s) { return s.admits_prereleases(); });
}

std::string SpecifierSet::str() const {
  std::vector<std::string> parts;
  for (const auto& s : specifiers) parts.push_back(s.str());
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return join(parts, ",");
}

}  // namespace cleanroom::python
