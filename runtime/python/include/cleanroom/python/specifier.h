// Version specifiers (PEP 440 "Version specifiers"): ~=, ==, !=, <=, >=, <, >,
// === and the prefix wildcards ==1.2.* / !=1.2.*, with the spec's special cases
// (<1.0 excludes 1.0rc1, >1.0 excludes 1.0.post1, local versions match a
// public ==) and its pre-release policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/pep440_version.h"

namespace cleanroom::python {

enum class SpecOp {
  Compatible,
  Equal,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Arbitrary
};

struct Specifier {
  SpecOp op = SpecOp::Equal;
  std::string text;  // the version as written (for ===, any string)
  Version version;   // parsed text, without ".*"; unused for ===
  bool wildcard = false;

  // Throws an Input error explaining what is wrong with the specifier.
  static Specifier parse(std::string_view text);

  // The specifier alone, ignoring the pre-release policy.
  bool contains(const Version& v) const;
  // True when the specifier names a pre-release with an including operator,
  // which lets pre-releases match (">=1.0rc1").
  bool admits_prereleases() const;
  std::string str() const;
};

struct SpecifierSet {
  std::vector<Specifier> specifiers;

  // Comma-separated specifiers; empty text gives an empty (match-all) set.
  static SpecifierSet parse(std::string_view text);

  bool empty() const { return specifiers.empty(); }
  // Pre-releases match only when allowed: explicitly, or because one of the
  // specifiers names a pre-release.
  bool contains(const Version& v, bool allow_prereleases = false) const;
  bool admits_prereleases() const;
  std::string str() const;  // sorted, comma-separated: canonical
};

}  // namespace cleanroom::python
