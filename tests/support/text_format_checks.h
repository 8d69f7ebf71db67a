// What each text-format fuzz target checks, shared with the unit tests that run
// the seed corpora. An input may be rejected with cleanroom::Error; anything
// else (another exception, a crash, a broken round trip) is a bug. Each check
// returns false when a round-trip property fails.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/buildinfo.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/dependency.h"
#include "cleanroom/formats/version.h"

namespace cleanroom::fuzz {

// Unsigned input that parses is written back byte for byte, and the canonical
// form of every paragraph reads back to the same fields.
inline bool check_deb822(std::string_view input) {
  try {
    formats::Deb822File file = formats::parse_deb822(input, "fuzz");
    if (!file.was_signed && formats::write_deb822(file) != input) return false;
    for (const formats::Deb822Paragraph& p : file.paragraphs) {
      formats::Deb822Paragraph canonical;
      for (const formats::Deb822Field& f : p.fields()) {
        if (p.find(f.name) != &f) return false;
        canonical.set(f.name, f.value);
      }
      formats::Deb822File again = formats::parse_deb822(formats::write_deb822(canonical), "again");
      if (again.paragraphs.size() != 1) return false;
      const auto& fields = again.paragraphs[0].fields();
      if (fields.size() != p.fields().size()) return false;
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name != p.fields()[i].name || fields[i].value != p.fields()[i].value)
          return false;
    }
  } catch (const Error&) {
  }
  return true;
}

// A parsed version prints to a string that parses to an equal version.
inline bool check_version(std::string_view input) {
  try {
    formats::Version v = formats::parse_version(input);
    formats::Version again = formats::parse_version(v.to_string());
    if (compare_versions(v, again) != 0 || again.to_string() != v.to_string()) return false;
    if (v < again || again < v) return false;
  } catch (const Error&) {
  }
  return true;
}

// Canonical printing is a fixed point, and reduction never adds entries.
inline bool check_dependency(std::string_view input) {
  try {
    formats::Dependencies d = formats::parse_dependencies(input, "Depends");
    std::string canonical = d.to_string();
    if (formats::parse_dependencies(canonical, "Depends").to_string() != canonical) return false;
    formats::Dependencies reduced =
        formats::evaluate_build_dependencies(d, "amd64", {"nocheck", "stage1"});
    if (reduced.groups.size() > d.groups.size()) return false;
  } catch (const Error&) {
  }
  return true;
}

// A .buildinfo that reads is written in a form that reads back the same.
inline bool check_buildinfo(std::string_view input) {
  try {
    std::string written = formats::write_buildinfo(formats::parse_buildinfo(input, "fuzz"));
    if (formats::write_buildinfo(formats::parse_buildinfo(written, "again")) != written)
      return false;
  } catch (const Error&) {
  }
  return true;
}

// A .changes that reads and writes is written the same after reading it back.
inline bool check_changes(std::string_view input) {
  try {
    std::string written = formats::write_changes(formats::parse_changes(input, "fuzz"));
    if (formats::write_changes(formats::parse_changes(written, "again")) != written) return false;
  } catch (const Error&) {
  }
  return true;
}

// Entry dates survive formatting and parsing again.
inline bool check_changelog(std::string_view input) {
  try {
    for (const formats::ChangelogEntry& e : formats::parse_changelog(input, "fuzz"))
      if (formats::parse_rfc2822_date(formats::format_rfc2822_date(e.timestamp)) != e.timestamp)
        return false;
  } catch (const Error&) {
  }
  return true;
}

inline bool check_target(std::string_view target, std::string_view input) {
  if (target == "deb822") return check_deb822(input);
  if (target == "version") return check_version(input);
  if (target == "dependency") return check_dependency(input);
  if (target == "buildinfo") return check_buildinfo(input);
  if (target == "changes") return check_changes(input);
  return check_changelog(input);
}

// The seed corpus of a target, as (file name, contents), sorted by name.
inline std::vector<std::pair<std::string, std::string>> corpus(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(entry.path().filename().string(),
                       std::string(std::istreambuf_iterator<char>(in), {}));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace cleanroom::fuzz
