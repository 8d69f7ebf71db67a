#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/pipeline/doctor.h"
#include "cleanroom/release/install_test.h"
#include "cleanroom/release/publish.h"

using namespace cleanroom::build;

TEST_CASE("leftovers are the paths that appeared after purge") {
  CHECK(leftover_paths("/usr/bin\n/usr/bin/a\n", "/usr/bin\n/usr/bin/a\n").empty());
  auto left = leftover_paths("/usr/bin\n", "/opt/venvs/x\n/usr/bin\n/usr/bin/x\n");
  CHECK(left == std::vector<std::string>{"/opt/venvs/x", "/usr/bin/x"});
}

TEST_CASE("a new repository's distributions stanza names codename, suite and architectures") {
  PublishOptions o;
  o.codename = "bookworm-2024.1";
  o.suite = "staging";
  std::string s = distributions_stanza(o, "amd64 all");
  CHECK(s.find("Codename: bookworm-2024.1\n") != std::string::npos);
  CHECK(s.find("Suite: staging\n") != std::string::npos);
  CHECK(s.find("Architectures: amd64 all\n") != std::string::npos);
  CHECK(s.find("Components: main\n") != std::string::npos);
  o.suite.clear();
  CHECK(distributions_stanza(o, "amd64").find("Suite:") == std::string::npos);
}

TEST_CASE("doctor fails only for missing required pieces") {
  std::vector<DoctorCheck> checks = {{"user namespaces", CheckLevel::Ok, "", ""},
                                     {"mmdebstrap", CheckLevel::Warning, "", ""},
                                     {"debootstrap", CheckLevel::Ok, "", ""}};
  CHECK(doctor_exit_code(checks) == 0);
  checks[1].level = CheckLevel::Ok;
  checks[2].level = CheckLevel::Warning;
  CHECK(doctor_exit_code(checks) == 0);
  checks[1].level = CheckLevel::Warning;
  CHECK(doctor_exit_code(checks) == 3);  // neither bootstrap tool
  checks[1].level = CheckLevel::Ok;
  checks[0].level = CheckLevel::Missing;
  CHECK(doctor_exit_code(checks) == 3);
}

TEST_CASE("publish refuses names that would add a line to conf/distributions or an option") {
  auto refused = [](auto change) {
    PublishOptions o;
    o.repo = "/nonexistent/repo";
    o.changes = {"/nonexistent/a.changes"};
    change(o);
    try {
      check_publish_options(o);
    } catch (const cleanroom::Error& e) {
      std::string what = e.what();
      // One line that shows the value escaped, never the raw control character.
      CHECK(what.find('\n') == std::string::npos);
      CHECK(e.kind() == cleanroom::ErrorKind::Input);
      return what;
    }
    return std::string();
  };
  std::string what = refused([](PublishOptions& o) {
    o.suite = "staging\nDebIndices: Packages Release . .gz /tmp/a-hook-that-reprepro-would-run";
  });
  CHECK(what.find("--suite \"staging\\nDebIndices") != std::string::npos);
  CHECK(what.find("...") != std::string::npos);
  CHECK_FALSE(refused([](PublishOptions& o) { o.codename = "x\nLog: /tmp/hook"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.codename = "../../escape"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.codename = "--help"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.component = "main contrib"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.component = "main\tx"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.origin = "cleanroom\rSignWith: yes"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.origin = ""; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.architectures = "amd64\nDebIndices: x"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.architectures = "amd64 ../x"; }).empty());
  CHECK_FALSE(refused([](PublishOptions& o) { o.architectures = " , "; }).empty());
  // What a staging repository is usually given passes.
  CHECK(refused([](PublishOptions& o) {
          o.codename = "bookworm-2024.1";
          o.suite = "staging";
          o.component = "main";
          o.origin = "Example_Corp";
          o.architectures = "amd64, arm64 i386";
        }).empty());
  CHECK(checked_architectures("amd64, arm64  i386") == "amd64 arm64 i386");
}
