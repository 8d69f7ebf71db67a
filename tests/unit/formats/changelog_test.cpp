#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/changelog.h"
#include "cleanroom/formats/changes.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_input_error.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

const char* const kChangelog =
    "hello (2:1.2-3~bpo12+1) bookworm-backports unstable; urgency=HIGH (security), "
    "binary-only=yes\n"
    "\n"
    "  * Fix the thing.\n"
    "    - with detail\n"
    "\n"
    "  * Second change.\n"
    "\n"
    " -- Jane Doe <jane@example.org>  Tue, 29 Feb 2000 23:59:59 -0130\n"
    "\n"
    "hello (1.0-1) unstable; urgency=low\n"
    "\n"
    "  * Initial release.\n"
    "\n"
    " -- Jane Doe <jane@example.org>  Mon, 01 Jan 2024 12:00:00 +0000\n"
    "\n"
    "Local variables:\n"
    "mode: debian-changelog\n";

std::string error_of(std::string_view text) {
  return input_error_of([&] { parse_changelog_top(text, "debian/changelog"); });
}

}  // namespace

TEST_CASE("changelog top entry fields") {
  ChangelogEntry e = parse_changelog_top(kChangelog, "debian/changelog");
  CHECK(e.source == "hello");
  CHECK(e.version.to_string() == "2:1.2-3~bpo12+1");
  CHECK(e.distributions == std::vector<std::string>{"bookworm-backports", "unstable"});
  CHECK(e.urgency == "high");
  CHECK(e.options == std::vector<std::pair<std::string, std::string>>{{"binary-only", "yes"}});
  CHECK(e.maintainer == "Jane Doe <jane@example.org>");
  CHECK(e.date == "Tue, 29 Feb 2000 23:59:59 -0130");
  CHECK(e.timestamp == 951874199);
  CHECK(e.line == 1);
  CHECK(e.header.starts_with("hello (2:1.2-3~bpo12+1) bookworm-backports"));
  CHECK(e.changes == std::vector<std::string>{"  * Fix the thing.", "    - with detail", "",
                                              "  * Second change."});
}

TEST_CASE("changelog history, and the fixtures' SOURCE_DATE_EPOCH") {
  std::vector<ChangelogEntry> all = parse_changelog(kChangelog, "debian/changelog");
  REQUIRE(all.size() == 2);
  CHECK(all[1].version.to_string() == "1.0-1");
  CHECK(all[1].line == 10);
  CHECK(all[1].timestamp == 1704110400);
  ChangelogEntry fixture =
      read_changelog_top(std::string(CLEANROOM_TEST_DATA) + "/fixtures/hello-c/debian/changelog");
  CHECK(fixture.source == "cleanroom-hello");
  CHECK(fixture.timestamp == 1704110400);
  CHECK(fixture.urgency == "medium");
}

TEST_CASE("changelog errors name file and line") {
  CHECK(error_of("") ==
        "debian/changelog:1: changelog has no entry; start it with a heading "
        "'source (version) distribution; urgency=medium'");
  CHECK(error_of("hello 1.0 unstable; urgency=low\n")
            .starts_with("debian/changelog:1: expected ' (' after the source name 'hello'"));
  CHECK(
      error_of("\n\nhello (a1) unstable; urgency=low\n") ==
      "debian/changelog:3: version 'a1' has bad syntax: version number does not start with digit");
  CHECK(error_of("hello (1.0) unstable urgency=low\n")
            .starts_with("debian/changelog:1: expected ';'"));
  CHECK(error_of("hello (1.0); urgency=low\n")
            .starts_with("debian/changelog:1: the heading names no distribution"));
  CHECK(error_of("hello (1.0) unstable; urgency\n")
            .starts_with("debian/changelog:1: 'urgency' in the heading"));
  CHECK(error_of("hello (1.0) unstable; urgency=low\n\n  * x\n") ==
        "debian/changelog:1: entry has no trailer line ' -- Name <email>  Mon, 01 Jan 2024 "
        "12:00:00 +0000'; add it");
  CHECK(error_of("hello (1.0) unstable; urgency=low\n\n* not indented\n")
            .starts_with("debian/changelog:3: expected an indented change line"));
  CHECK(error_of("hello (1.0) unstable; urgency=low\n\n  * x\n\n -- J <j@x>  Mon, 32 Jan 2024 "
                 "12:00:00 +0000\n") ==
        "debian/changelog:5: date 'Mon, 32 Jan 2024 12:00:00 +0000' is not RFC 2822 ('Mon, 01 "
        "Jan 2024 12:00:00 +0000'): no such day in that month");
  CHECK(error_of("hello (1.0) unstable; urgency=low\n\n -- J  Mon, 01 Jan 2024 12:00:00 +0000\n")
            .starts_with("debian/changelog:3: trailer line lacks the maintainer"));
}

TEST_CASE("RFC 2822 dates both ways") {
  CHECK(parse_rfc2822_date("Mon, 01 Jan 2024 12:00:00 +0000") == 1704110400);
  CHECK(parse_rfc2822_date("1 Jan 2024 13:30:00 +0130") == 1704110400);
  CHECK(parse_rfc2822_date("Thu, 01 Jan 1970 00:00:00 +0000") == 0);
  CHECK(parse_rfc2822_date("Wed, 31 Dec 1969 23:59:59 +0000") == -1);
  CHECK_THROWS_AS(parse_rfc2822_date("Mon, 01 Foo 2024 12:00:00 +0000"), Error);
  CHECK_THROWS_AS(parse_rfc2822_date("Mon, 29 Feb 2023 12:00:00 +0000"), Error);
  CHECK_THROWS_AS(parse_rfc2822_date("Mon, 01 Jan 2024 24:00:00 +0000"), Error);
  CHECK_THROWS_AS(parse_rfc2822_date("Mon, 01 Jan 2024 12:00:00"), Error);
  CHECK_THROWS_AS(parse_rfc2822_date("Mon, 01 Jan 2024 12:00:00 +0000 x"), Error);
  CHECK(format_rfc2822_date(1704110400) == "Mon, 01 Jan 2024 12:00:00 +0000");
  CHECK(format_rfc2822_date(951874199) == "Wed, 01 Mar 2000 01:29:59 +0000");
  CHECK(format_rfc2822_date(-1) == "Wed, 31 Dec 1969 23:59:59 +0000");
  for (std::int64_t t = -100000000; t < 4000000000; t += 12345679)
    CHECK(parse_rfc2822_date(format_rfc2822_date(t)) == t);
}

TEST_CASE("changelog top entry agrees with dpkg-parsechangelog where it is installed") {
  if (find_program("dpkg-parsechangelog").empty()) {
    cleanroom::test::host_skip("dpkg-parsechangelog is not installed");
    return;
  }
  TempDir dir;
  std::vector<std::string> texts = {
      kChangelog,
      "x (0.1) unstable; urgency=emergency\n\n  * a\n\n\n  * b\n   indented more\n\n"
      " -- A B <a@b.c>  1 Jan 1970 00:00:00 -2359\n",
      read_file(std::string(CLEANROOM_TEST_DATA) + "/fixtures/hello-py/debian/changelog")};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    std::string path = dir.path() + "/changelog" + std::to_string(i);
    write_file_atomic(path, texts[i]);
    ProcessResult result = run_process({.argv = {"dpkg-parsechangelog", "-l", path}}, true);
    REQUIRE(result.status == 0);
    Deb822File dpkg = parse_deb822(result.output, "dpkg-parsechangelog");
    REQUIRE(dpkg.paragraphs.size() == 1);
    const Deb822Paragraph& d = dpkg.paragraphs[0];
    ChangelogEntry e = parse_changelog_top(texts[i], path);
    CHECK(e.source == d.required("Source"));
    CHECK(e.version.to_string() == d.required("Version"));
    CHECK(e.distributions == deb822_words(d.required("Distribution")));
    CHECK(e.urgency == d.required("Urgency"));
    CHECK(e.maintainer == d.required("Maintainer"));
    CHECK(e.date == d.required("Date"));
    CHECK(std::to_string(e.timestamp) == d.required("Timestamp"));
    CHECK(changes_lines(e) == deb822_lines(d.required("Changes")));
  }
}
