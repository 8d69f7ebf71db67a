#include <catch2/catch.hpp>

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
