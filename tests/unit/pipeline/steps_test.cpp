#include <catch2/catch.hpp>
#include <stdexcept>

#include "cleanroom/pipeline/steps.h"

using namespace cleanroom::build;

TEST_CASE("step runner records outcomes in order and rethrows failures") {
  StepRunner runner;
  runner.run("unpack", [] {});
  runner.skip("lintian", "lintian not in build root");
  CHECK_THROWS_AS(runner.run("build", [] { throw std::runtime_error("dpkg-buildpackage: 2"); }),
                  std::runtime_error);
  REQUIRE(runner.records().size() == 3);
  CHECK(runner.records()[0].status == StepStatus::Ok);
  CHECK(runner.records()[1].status == StepStatus::Skipped);
  REQUIRE(runner.failed() != nullptr);
  CHECK(runner.failed()->name == "build");
  CHECK(runner.failed()->note == "dpkg-buildpackage: 2");
}

TEST_CASE("step table lists every step and a total") {
  StepRunner runner;
  runner.run("prepare", [&] { runner.note("cached layer abc"); });
  std::string table = format_step_table(runner.records());
  CHECK(table.find("prepare") != std::string::npos);
  CHECK(table.find("cached layer abc") != std::string::npos);
  CHECK(table.find("total") != std::string::npos);
  CHECK(steps_to_json(runner.records()).find("\"name\":\"prepare\"") != std::string::npos);
}

TEST_CASE("a step that finds nothing to do shows as skipped, not ok") {
  StepRunner runner;
  runner.run("lintian", [&] { runner.skip_current("lintian is not in the build root"); });
  REQUIRE(runner.records().size() == 1);
  CHECK(runner.records()[0].status == StepStatus::Skipped);
  CHECK(runner.failed() == nullptr);
  std::string table = format_step_table(runner.records());
  CHECK(table.find("lintian        skipped") != std::string::npos);
  CHECK(table.find("lintian is not in the build root") != std::string::npos);
}
