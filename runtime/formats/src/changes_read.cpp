// .changes reader, the inverse of write_changes: `publish` and `audit` check the
// files a .changes lists before handing it on.
#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb822.h"

namespace cleanroom::formats {

namespace {

std::vector<ChangesFileEntry> read_files_field(const Deb822Paragraph& p, const std::string& at) {
  std::vector<ChangesFileEntry> files;
  for (const std::string& line : deb822_lines(p.get("Files").value_or(""))) {
    std::vector<std::string> words = deb822_words(line);
    if (words.size() != 5)
      throw_input(
          fmt::format("{}: Files line '{}' is not 'md5 size section priority name'", at, line));
    // The hash and size are checked the same way as in the Checksums fields.
    std::vector<FileChecksums> one;
    with_context(at, [&] {
      parse_checksums_field("\n " + words[0] + " " + words[1] + " " + words[4], ChecksumKind::Md5,
                            "Files", one);
    });
    ChangesFileEntry entry;
    static_cast<FileChecksums&>(entry) = one.front();
    entry.section = words[2];
    entry.priority = words[3];
    for (const ChangesFileEntry& earlier : files)
      if (earlier.name == entry.name)
        throw_input(fmt::format("{}: file '{}' is listed twice in Files", at, entry.name));
    files.push_back(std::move(entry));
  }
  return files;
}

void merge_checksums(const Deb822Paragraph& p, const char* field, ChecksumKind kind,
                     const std::string& at, std::vector<ChangesFileEntry>& files) {
  auto value = p.get(field);
  if (!value) return;
  std::vector<FileChecksums> sums;
  with_context(at, [&] { parse_checksums_field(*value, kind, field, sums); });
  for (const FileChecksums& sum : sums) {
    ChangesFileEntry* entry = nullptr;
    for (ChangesFileEntry& f : files)
      if (f.name == sum.name) entry = &f;
    if (!entry || entry->size != sum.size)
      throw_input(
          fmt::format("{}: {} lists '{}' ({} bytes), which Files does not; the "
                      ".changes is inconsistent",
                      at, field, sum.name, sum.size));
    if (kind == ChecksumKind::Sha1)
      entry->sha1 = sum.sha1;
    else
      entry->sha256 = sum.sha256;
  }
}

}  // namespace

ChangesFile parse_changes(std::string_view text, const std::string& name) {
  Deb822File file = parse_deb822(text, name, {.allow_comments = false, .allow_signed = true});
  if (file.paragraphs.size() != 1)
    throw_input(fmt::format("{}: a .changes holds exactly one paragraph, this one has {}", name,
                            file.paragraphs.size()));
  const Deb822Paragraph& p = file.paragraphs[0];
  auto at = [&](const char* field) {
    const Deb822Field* f = p.find(field);
    return fmt::format("{}:{}", name, f ? f->line : 1);
  };
  ChangesFile c;
  c.format = p.required("Format");
  if (!c.format.starts_with("1."))
    throw_input(fmt::format("{}: .changes Format '{}' is not supported (only 1.x)", at("Format"),
                            c.format));
  c.date = p.get("Date").value_or("");
  c.source = p.required("Source");
  c.binaries = deb822_words(p.get("Binary").value_or(""));
  c.architectures = deb822_words(p.get("Architecture").value_or(""));
  c.version = p.required("Version");
  c.distributions = deb822_words(p.get("Distribution").value_or(""));
  c.urgency = p.get("Urgency").value_or("");
  c.maintainer = p.get("Maintainer").value_or("");
  c.changed_by = p.get("Changed-By").value_or("");
  for (const std::string& line : deb822_lines(p.get("Description").value_or(""))) {
    std::size_t dash = line.find(" - ");
    if (dash == std::string::npos)
      throw_input(fmt::format("{}: Description line '{}' is not 'package - synopsis'",
                              at("Description"), line));
    c.descriptions.emplace_back(line.substr(0, dash), line.substr(dash + 3));
  }
  c.closes = deb822_words(p.get("Closes").value_or(""));
  c.changes = deb822_lines(p.get("Changes").value_or(""));
  c.files = read_files_field(p, at("Files"));
  merge_checksums(p, "Checksums-Sha1", ChecksumKind::Sha1, at("Checksums-Sha1"), c.files);
  merge_checksums(p, "Checksums-Sha256", ChecksumKind::Sha256, at("Checksums-Sha256"), c.files);
  return c;
}

ChangesFile read_changes_file(const std::string& path) {
  return parse_changes(read_file(path), path);
}

}  // namespace cleanroom::formats
