// .changes files (deb-changes(5)), written the way dpkg-genchanges writes them:
// same fields, same order, same multi-line layouts, so dput, reprepro and
// lintian read them as they read sbuild's.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/deb822_checksums.h"

namespace cleanroom::formats {

struct ChangesFileEntry : FileChecksums {
  std::string section = "misc";  // "-" where dpkg has none (e.g. .buildinfo)
  std::string priority = "optional";
};

struct ChangesFile {
  std::string format = "1.8";
  std::string date;  // RFC 2822, the changelog entry's date
  std::string source;
  std::vector<std::string> binaries;       // written sorted, space-separated
  std::vector<std::string> architectures;  // "source", "all", "amd64", in this order
  std::string version;
  std::vector<std::string> distributions;
  std::string urgency = "medium";
  std::string maintainer;
  std::string changed_by;  // optional
  // (package, synopsis) for each binary package, written "package - synopsis".
  std::vector<std::pair<std::string, std::string>> descriptions;
  std::vector<std::string> closes;  // bug numbers, optional
  // Lines of the Changes field, see changes_lines().
  std::vector<std::string> changes;
  std::vector<ChangesFileEntry> files;
};

// The Changes lines dpkg-genchanges makes from a changelog entry: the heading,
// an empty line, then the change lines.
std::vector<std::string> changes_lines(const ChangelogEntry& entry);

// The whole .changes text. Throws Error (Input) naming a missing required field.
std::string write_changes(const ChangesFile& changes);

// Reads a (possibly clearsigned) .changes back into the struct; name is used in
// messages. Rejects a Format other than 1.x, Files lines that are not "md5 size
// section priority name", and checksums for files that Files does not list.
ChangesFile parse_changes(std::string_view text, const std::string& name);
ChangesFile read_changes_file(const std::string& path);

}  // namespace cleanroom::formats
