// debian/changelog (deb-changelog(5)): the top entry gives a build its source
// name, version, target distribution and SOURCE_DATE_EPOCH. Parsing follows
// Dpkg::Changelog::Debian's line formats; every error names file:line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleanroom/formats/version.h"

namespace cleanroom::formats {

struct ChangelogEntry {
  std::string source;
  Version version;
  std::vector<std::string> distributions;  // "unstable", or several: "a b"
  std::string urgency;                     // lower case ("medium"); empty when the header has none
  // Other "key=value" options of the header line (binary-only=yes, ...), in order.
  std::vector<std::pair<std::string, std::string>> options;
  std::string maintainer;      // "Name <email>"
  std::string date;            // as written in the trailer line
  std::int64_t timestamp = 0;  // date as seconds since the epoch: SOURCE_DATE_EPOCH
  std::string header;          // the first line of the entry, verbatim
  // Lines between header and trailer, verbatim with their indentation; blank
  // lines at either end dropped.
  std::vector<std::string> changes;
  std::size_t line = 0;  // line of the header
};

// The top entry of a changelog. name is used in messages ("debian/changelog:3: ...").
ChangelogEntry parse_changelog_top(std::string_view text, const std::string& name);
ChangelogEntry read_changelog_top(const std::string& path);

// Every entry, newest first (for tools that show history).
std::vector<ChangelogEntry> parse_changelog(std::string_view text, const std::string& name);

// An RFC 2822 date as used in changelogs and .changes: "[Day, ]DD Mon YYYY HH:MM:SS
// +ZZZZ". Throws Error (Input) describing what is wrong.
std::int64_t parse_rfc2822_date(std::string_view date);
// The same format for a timestamp, in UTC: "Mon, 01 Jan 2024 12:00:00 +0000".
std::string format_rfc2822_date(std::int64_t timestamp);

}  // namespace cleanroom::formats
