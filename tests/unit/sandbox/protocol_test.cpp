#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/sandbox/protocol.h"

using cleanroom::sandbox::SetupStep;
using cleanroom::sandbox::step_name;

TEST_CASE("protocol: every set-up step has a name of its own") {
  std::string last;
  for (auto n = static_cast<std::int32_t>(SetupStep::UserNamespace);
       n <= static_cast<std::int32_t>(SetupStep::CgroupNamespace); ++n) {
    std::string name = step_name(static_cast<SetupStep>(n));
    CHECK(name != "unknown step");
    CHECK(name != last);
    last = name;
  }
  // A kernel that refuses the cgroup namespace is not told it refused namespaces in general.
  CHECK(std::string(step_name(SetupStep::CgroupNamespace)) == "create the cgroup namespace");
  CHECK(std::string(step_name(SetupStep::UserNamespace)) == "create namespaces");
}
