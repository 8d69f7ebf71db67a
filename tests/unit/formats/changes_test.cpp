#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_input_error.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

ChangesFile sample(const std::string& deb_path) {
  ChangelogEntry entry = parse_changelog_top(
      "hello (1.0-1) unstable; urgency=medium\n\n  * Initial release.\n\n  * More.\n\n"
      " -- Jane Doe <jane@example.org>  Mon, 01 Jan 2024 12:00:00 +0000\n",
      "debian/changelog");
  ChangesFile c;
  c.date = entry.date;
  c.source = entry.source;
  c.binaries = {"hello-doc", "hello"};
  c.architectures = {"source", "amd64"};
  c.version = entry.version.to_string();
  c.distributions = entry.distributions;
  c.urgency = entry.urgency;
  c.maintainer = entry.maintainer;
  c.changed_by = entry.maintainer;
  c.descriptions = {{"hello", "greet the world"}, {"hello-doc", "documentation for hello"}};
  c.changes = changes_lines(entry);
  ChangesFileEntry file;
  static_cast<FileChecksums&>(file) = checksum_file(deb_path);
  file.section = "utils";
  c.files.push_back(file);
  return c;
}

}  // namespace

TEST_CASE("checksums of a file, and Checksums fields both ways") {
  TempDir dir;
  write_file_atomic(dir.path() + "/hello.txt", "hello");
  FileChecksums f = checksum_file(dir.path() + "/hello.txt");
  CHECK(f.name == "hello.txt");
  CHECK(f.size == 5);
  CHECK(f.md5 == "5d41402abc4b2a76b9719d911017c592");
  CHECK(f.sha1 == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  CHECK(f.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  std::string field = checksums_field({f}, ChecksumKind::Sha1);
  CHECK(field == "\n aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 5 hello.txt");
  std::vector<FileChecksums> back;
  parse_checksums_field(field, ChecksumKind::Sha1, "Checksums-Sha1", back);
  parse_checksums_field(checksums_field({f}, ChecksumKind::Md5), ChecksumKind::Md5, "Files", back);
  REQUIRE(back.size() == 1);
  CHECK(back[0].sha1 == f.sha1);
  CHECK(back[0].md5 == f.md5);
  CHECK(back[0].size == 5);
  CHECK_THROWS_AS(parse_checksums_field("\n abc 5 x", ChecksumKind::Sha1, "Checksums-Sha1", back),
                  Error);
  CHECK_THROWS_AS(parse_checksums_field("\n " + f.sha1 + " 6 hello.txt", ChecksumKind::Sha1,
                                        "Checksums-Sha1", back),
                  Error);
  CHECK_THROWS_AS(
      parse_checksums_field("\n " + f.sha1 + " 5 ../x", ChecksumKind::Sha1, "Checksums-Sha1", back),
      Error);
  CHECK_THROWS_AS(checksum_file(dir.path() + "/missing"), Error);
}

TEST_CASE(".changes are written in dpkg-genchanges' layout") {
  TempDir dir;
  write_file_atomic(dir.path() + "/hello_1.0-1_amd64.deb", "hello");
  std::string text = write_changes(sample(dir.path() + "/hello_1.0-1_amd64.deb"));
  CHECK(
      text ==
      "Format: 1.8\n"
      "Date: Mon, 01 Jan 2024 12:00:00 +0000\n"
      "Source: hello\n"
      "Binary: hello hello-doc\n"
      "Architecture: source amd64\n"
      "Version: 1.0-1\n"
      "Distribution: unstable\n"
      "Urgency: medium\n"
      "Maintainer: Jane Doe <jane@example.org>\n"
      "Changed-By: Jane Doe <jane@example.org>\n"
      "Description:\n"
      " hello - greet the world\n"
      " hello-doc - documentation for hello\n"
      "Changes:\n"
      " hello (1.0-1) unstable; urgency=medium\n"
      " .\n"
      "   * Initial release.\n"
      " .\n"
      "   * More.\n"
      "Checksums-Sha1:\n"
      " aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 5 hello_1.0-1_amd64.deb\n"
      "Checksums-Sha256:\n"
      " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5 hello_1.0-1_amd64.deb\n"
      "Files:\n"
      " 5d41402abc4b2a76b9719d911017c592 5 utils optional hello_1.0-1_amd64.deb\n");
  Deb822File parsed = parse_deb822(text, "hello.changes", {.allow_comments = false});
  REQUIRE(parsed.paragraphs.size() == 1);
  CHECK(write_deb822(parsed) == text);
}

TEST_CASE(".changes refuse to be written without required fields") {
  TempDir dir;
  write_file_atomic(dir.path() + "/f.deb", "x");
  ChangesFile c = sample(dir.path() + "/f.deb");
  c.maintainer.clear();
  CHECK_THROWS_WITH(write_changes(c),
                    ".changes: field 'Maintainer' is empty; the build must provide it");
}

TEST_CASE(".changes are accepted by Dpkg::Control where it is installed") {
  if (run_process({.argv = {"perl", "-MDpkg::Control", "-e", "1"}}).status != 0) {
    cleanroom::test::host_skip("perl's Dpkg::Control is not installed (package libdpkg-perl)");
    return;
  }
  TempDir dir;
  write_file_atomic(dir.path() + "/hello_1.0-1_amd64.deb", "hello");
  write_file_atomic(dir.path() + "/hello.changes",
                    write_changes(sample(dir.path() + "/hello_1.0-1_amd64.deb")));
  ProcessSpec spec{
      .argv = {"perl", "-MDpkg::Control", "-MDpkg::Checksums", "-e",
               "my $c = Dpkg::Control->new(type => CTRL_FILE_CHANGES); "
               "$c->load($ARGV[0]); my $s = Dpkg::Checksums->new(); "
               "$s->add_from_control($c); print join(',', $s->get_files()), ' ', "
               "$s->get_checksum('hello_1.0-1_amd64.deb', 'sha256'), ' ', $c->{Urgency}",
               dir.path() + "/hello.changes"}};
  ProcessResult result = run_process(spec, true);
  CHECK(result.status == 0);
  CHECK(result.output ==
        "hello_1.0-1_amd64.deb "
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 medium");
}

TEST_CASE(".changes read back into the same struct") {
  TempDir dir;
  write_file_atomic(dir.path() + "/hello_1.0-1_amd64.deb", "hello");
  ChangesFile written = sample(dir.path() + "/hello_1.0-1_amd64.deb");
  std::string text = write_changes(written);
  ChangesFile c = parse_changes(text, "hello.changes");
  CHECK(c.source == "hello");
  CHECK(c.binaries == std::vector<std::string>{"hello", "hello-doc"});
  CHECK(c.architectures == written.architectures);
  CHECK(c.descriptions == written.descriptions);
  CHECK(c.changes == written.changes);
  REQUIRE(c.files.size() == 1);
  CHECK(c.files[0].section == "utils");
  CHECK(c.files[0].priority == "optional");
  CHECK(c.files[0].md5 == written.files[0].md5);
  CHECK(c.files[0].sha1 == written.files[0].sha1);
  CHECK(c.files[0].sha256 == written.files[0].sha256);
  CHECK(write_changes(c) == text);
  write_file_atomic(dir.path() + "/hello.changes", text);
  CHECK(read_changes_file(dir.path() + "/hello.changes").version == "1.0-1");
}

TEST_CASE(".changes reader errors name file and line") {
  auto error_of = [](const std::string& text) {
    return input_error_of([&] { parse_changes(text, "hello.changes"); });
  };
  const std::string head = "Format: 1.8\nSource: hello\nVersion: 1.0\n";
  CHECK(error_of("Format: 3.0\nSource: x\nVersion: 1\n") ==
        "hello.changes:1: .changes Format '3.0' is not supported (only 1.x)");
  CHECK(error_of(head + "Files:\n abc 1 name\n") ==
        "hello.changes:4: Files line 'abc 1 name' is not 'md5 size section priority name'");
  CHECK(error_of(head + "Files:\n 5d41402abc4b2a76b9719d911017c592 5 a b x.deb\n"
                        "Checksums-Sha1:\n aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 5 y.deb\n") ==
        "hello.changes:6: Checksums-Sha1 lists 'y.deb' (5 bytes), which Files does not; the "
        ".changes is inconsistent");
  CHECK(error_of(head + "Description:\n hello greets\n") ==
        "hello.changes:4: Description line 'hello greets' is not 'package - synopsis'");
  CHECK(error_of(head + "Files:\n 5d41402abc4b2a76b9719d911017c59 5 a b x.deb\n")
            .starts_with("hello.changes:4: Files: line '5d41402abc4b2a76b9719d911017c59 5 x.deb'"));
}
