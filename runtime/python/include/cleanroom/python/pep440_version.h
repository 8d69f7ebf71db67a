// Python package versions as PEP 440 defines them: parsing with the spec's
// normalizations (case, separators, "alpha" -> "a", implicit post releases,
// leading "v") and the spec's total order, which is not lexical and not
// Debian's: 1.0.dev0 < 1.0a1 < 1.0 < 1.0+local < 1.0.post1.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::python {

struct Version {
  struct Pre {
    char kind = 'a';  // 'a', 'b' or 'r' (rc)
    std::uint64_t number = 0;
    bool operator==(const Pre&) const = default;
  };

  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;
  std::optional<Pre> pre;
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  std::vector<std::string> local;  // lowercased; numeric segments without leading zeros

  // nullopt when text is not a valid PEP 440 version.
  static std::optional<Version> parse(std::string_view text);
  // Throws an Input error naming the text.
  static Version parse_or_throw(std::string_view text);

  std::string str() const;  // normalized form
  bool is_prerelease() const { return pre.has_value() || dev.has_value(); }
  bool is_postrelease() const { return post.has_value(); }
  Version public_version() const;  // without the local part
  Version base_version() const;    // epoch and release only
};

// PEP 440 order; trailing zeros of the release do not count (1.0 == 1.0.0).
std::strong_ordering compare(const Version& a, const Version& b);
inline std::strong_ordering operator<=>(const Version& a, const Version& b) {
  return compare(a, b);
}
inline bool operator==(const Version& a, const Version& b) {
  return compare(a, b) == std::strong_ordering::equal;
}

}  // namespace cleanroom::python
