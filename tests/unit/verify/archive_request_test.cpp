#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/verify/archive_audit.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_archive_request(text, "--from-archive");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("SOURCE=VERSION requests are Debian names and versions") {
  ArchiveRequest r = parse_archive_request("libcap2=1:2.66-4+deb12u3", "x");
  CHECK(r.source == "libcap2");
  CHECK(r.version == "1:2.66-4+deb12u3");
  CHECK(parse_archive_request("tzdata=2026b-0+deb12u1", "x").version == "2026b-0+deb12u1");
  // Each goes into a script and a directory name: nothing else passes.
  CHECK(error_of("hello").starts_with("--from-archive: 'hello' is not SOURCE=VERSION"));
  CHECK(error_of("../x=1.0").find("is not SOURCE=VERSION") != std::string::npos);
  CHECK(error_of("Hello=1.0").find("is not SOURCE=VERSION") != std::string::npos);
  CHECK_FALSE(error_of("hello=1.0;rm").empty());
  CHECK_FALSE(error_of("hello=1.0 x").empty());
  CHECK_FALSE(error_of("hello=").empty());
  CHECK_FALSE(error_of("hello=1.0/../x").empty());
}

TEST_CASE("a list of requests skips comments and names FILE:LINE of a bad one") {
  TempDir dir;
  std::string list = dir.path() + "/list";
  write_file_atomic(list, "# audit these\n\nhello=2.10-3  # arch any\n  tree=2.1.0-1\r\n");
  auto requests = read_archive_requests(list);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].source == "hello");
  CHECK(requests[1].version == "2.1.0-1");
  write_file_atomic(list, "hello=2.10-3\nhello 2.10-3\n");
  try {
    read_archive_requests(list);
    FAIL("a bad line was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).starts_with(list + ":2: 'hello 2.10-3' is not SOURCE=VERSION"));
  }
}
