#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <iostream>

#include "host_skip.h"

namespace {

// Reports a test case that called test::host_skip as skipped: prints the
// marker ctest's SKIP_REGULAR_EXPRESSION looks for once the test case has
// ended, and only if none of its assertions failed (see host_skip.h).
class HostSkipListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    cleanroom::test::host_skip_reasons().clear();
    TestEventListenerBase::testCaseStarting(info);
  }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    std::string& reasons = cleanroom::test::host_skip_reasons();
    if (!reasons.empty() && stats.totals.assertions.failed == 0)
      std::cout << cleanroom::test::kHostSkipMarker << reasons << std::endl;
    reasons.clear();
    TestEventListenerBase::testCaseEnded(stats);
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(HostSkipListener)
