// .changes writer: Dpkg::Control::FieldsCore's order for CTRL_FILE_CHANGES and
// dpkg-genchanges' layouts (sorted Binary, Description lines "pkg - synopsis",
// Changes as heading, " .", change lines).
#include "cleanroom/formats/changes.h"

#include <fmt/format.h>

#include <algorithm>

#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/formats/deb822.h"

namespace cleanroom::formats {

namespace {

[[noreturn]] void throw_missing(const char* field) {
  throw_input(fmt::format(".changes: field '{}' is empty; the build must provide it", field));
}

void require(const std::string& value, const char* field) {
  if (value.empty()) throw_missing(field);
}

// A list field is empty when it holds no word, or only empty ones.
void require(const std::vector<std::string>& words, const char* field) {
  if (std::all_of(words.begin(), words.end(), [](const std::string& w) { return w.empty(); }))
    throw_missing(field);
}

}  // namespace

std::vector<std::string> changes_lines(const ChangelogEntry& entry) {
  std::vector<std::string> lines = {entry.header, ""};
  lines.insert(lines.end(), entry.changes.begin(), entry.changes.end());
  return lines;
}

std::string write_changes(const ChangesFile& c) {
  require(c.date, "Date");
  require(c.source, "Source");
  require(c.version, "Version");
  require(c.maintainer, "Maintainer");
  require(c.architectures, "Architecture");
  require(c.distributions, "Distribution");
  require(c.changes, "Changes");
  Deb822Paragraph p;
  p.set("Format", c.format);
  p.set("Date", c.date);
  p.set("Source", c.source);
  if (!c.binaries.empty()) {
    std::vector<std::string> binaries = c.binaries;
    std::sort(binaries.begin(), binaries.end());
    p.set("Binary", join(binaries, " "));
  }
  p.set("Architecture", join(c.architectures, " "));
  p.set("Version", c.version);
  p.set("Distribution", join(c.distributions, " "));
  p.set("Urgency", c.urgency);
  p.set("Maintainer", c.maintainer);
  if (!c.changed_by.empty()) p.set("Changed-By", c.changed_by);
  if (!c.descriptions.empty()) {
    std::vector<std::string> lines;
    for (const auto& [package, synopsis] : c.descriptions)
      lines.push_back(package + " - " + synopsis);
    p.set("Description", deb822_multiline("", lines));
  }
  if (!c.closes.empty()) p.set("Closes", join(c.closes, " "));
  p.set("Changes", deb822_multiline("", c.changes));
  std::vector<FileChecksums> sums(c.files.begin(), c.files.end());
  p.set("Checksums-Sha1", checksums_field(sums, ChecksumKind::Sha1));
  p.set("Checksums-Sha256", checksums_field(sums, ChecksumKind::Sha256));
  std::string files;
  for (const ChangesFileEntry& f : c.files)
    files += fmt::format("\n {} {} {} {} {}", f.md5, f.size, f.section, f.priority, f.name);
  p.set("Files", files);
  return write_deb822(p);
}

}  // namespace cleanroom::formats
