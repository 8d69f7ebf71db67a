#include "cleanroom/python/requirements_file.h"

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {
const std::string kHash = "sha256:" + std::string(64, 'a');
}  // namespace

TEST_CASE("requirements files: comments, continuations, hashes, markers") {
  std::string text =
      "# a comment\n"
      "\n"
      "six==1.16.0  # trailing comment\n"
      "requests[socks] >= 2.0, \\\n"
      "   < 3 ; python_version >= '3.8' \\\n"
      "   --hash=" +
      kHash +
      " \\\n"
      "   --hash " +
      kHash +
      "\n"
      "   # indented comment \\\n"
      "Oslo.Config!=9.1\n"
      "pbr\r\n";
  auto f = parse_requirements_text(text, "/x/req.txt");
  REQUIRE(f.requirements.size() == 4);
  CHECK(f.requirements[0].str() == "six==1.16.0");
  CHECK(f.requirements[0].origin == "/x/req.txt:3");
  CHECK(f.requirements[1].str() == "requests[socks]<3,>=2.0; python_version >= \"3.8\"");
  CHECK(f.requirements[1].origin == "/x/req.txt:4");
  CHECK(f.requirements[1].hashes == std::vector<std::string>{kHash, kHash});
  CHECK(f.requirements[2].name == "Oslo.Config");
  CHECK(f.requirements[2].origin == "/x/req.txt:9");  // a comment never continues
  CHECK(f.requirements[3].key == "pbr");
  CHECK(f.constraints.empty());
}

TEST_CASE("requirements files refuse what would go online, each with its line") {
  std::string text =
      "-e git+https://example.org/x.git#egg=x\n"
      "--index-url https://pypi.org/simple\n"
      "--extra-index-url=https://x\n"
      "-f /tmp/wheels\n"
      "https://example.org/foo-1.0.tar.gz\n"
      "foo @ file:///tmp/foo\n"
      "bar --install-option=--x\n"
      "baz ${VERSION}\n"
      "qux --hash=md5:abc\n"
      "--no-index\n"
      "--pre\n"
      "ok==1\n";
  std::string msg = input_error_of([&] { parse_requirements_text(text, "r.txt"); });
  CHECK_THAT(msg, Catch::Contains("r.txt:1: -e is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("r.txt:2: --index-url is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("r.txt:3: --extra-index-url is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("r.txt:4: -f is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("r.txt:5: 'https://example.org/foo-1.0.tar.gz' is a URL or path, "
                                  "which is not allowed offline"));
  CHECK_THAT(msg, Catch::Contains("r.txt:6: 'foo @ file:///tmp/foo' is a URL or path"));
  CHECK_THAT(msg, Catch::Contains("r.txt:7: option --install-option is not supported"));
  CHECK_THAT(msg, Catch::Contains("r.txt:8: environment variables"));
  CHECK_THAT(msg, Catch::Contains("r.txt:9: hash 'md5:abc' is not checked"));
  CHECK_THAT(msg, Catch::Contains("r.txt:11: option --pre is not supported"));
  CHECK(std::count(msg.begin(), msg.end(), '\n') == 9);  // 10 lines: --no-index is fine
}

TEST_CASE("requirements files follow -r and -c includes relative to the including file") {
  TempDir dir;
  make_dirs(dir.path() + "/sub");
  write_file_atomic(dir.path() + "/top.txt",
                    "-r sub/more.txt\n--constraint=sub/upper.txt\nalpha>=1\n");
  write_file_atomic(dir.path() + "/sub/more.txt", "beta\n-rdeeper.txt\n");
  write_file_atomic(dir.path() + "/sub/deeper.txt", "gamma<2\n");
  write_file_atomic(dir.path() + "/sub/upper.txt",
                    "alpha===1.5\nbeta==2.0;python_version<'3'\n-r more-upper.txt\n");
  write_file_atomic(dir.path() + "/sub/more-upper.txt", "gamma==1.1\n");
  auto f = read_requirements_file(dir.path() + "/top.txt");
  std::vector<std::string> reqs, cons;
  for (const auto& r : f.requirements) reqs.push_back(r.str());
  for (const auto& r : f.constraints) cons.push_back(r.str());
  CHECK(reqs == std::vector<std::string>{"beta", "gamma<2", "alpha>=1"});
  CHECK(cons ==
        std::vector<std::string>{"alpha===1.5", "beta==2.0; python_version < \"3\"", "gamma==1.1"});
  CHECK(f.constraints[2].origin == dir.path() + "/sub/more-upper.txt:1");
  CHECK(f.files.size() == 5);

  auto c = read_constraints_file(dir.path() + "/sub/upper.txt");
  CHECK(c.requirements.empty());
  CHECK(c.constraints.size() == 3);
}

TEST_CASE("requirements includes report missing files, loops and bad constraints together") {
  TempDir dir;
  write_file_atomic(dir.path() + "/a.txt", "-r b.txt\n-c missing.txt\n-c c.txt\n-r\n");
  write_file_atomic(dir.path() + "/b.txt", "-r a.txt\n");
  write_file_atomic(dir.path() + "/c.txt", "foo[extra]==1\n");
  std::string msg = input_error_of([&] { read_requirements_file(dir.path() + "/a.txt"); });
  CHECK_THAT(msg, Catch::Contains("b.txt:1: '" + dir.path() + "/a.txt' includes itself"));
  CHECK_THAT(msg, Catch::Contains("a.txt:2: requirements file '" + dir.path() +
                                  "/missing.txt' does not exist"));
  CHECK_THAT(msg, Catch::Contains("c.txt:1: constraints cannot name extras"));
  CHECK_THAT(msg, Catch::Contains("a.txt:4: -r needs a file name"));
  CHECK_THAT(input_error_of([&] { read_requirements_file(dir.path() + "/none.txt"); }),
             Catch::Contains("none.txt' does not exist"));
}
