// Runs a parser expected to reject its input and returns the message, failing
// the test when nothing is thrown or the error is not an input error.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/base/error.h"

template <typename Fn>
std::string input_error_of(Fn&& fn) {
  try {
    fn();
  } catch (const cleanroom::Error& e) {
    CHECK(e.kind() == cleanroom::ErrorKind::Input);
    return e.what();
  }
  FAIL("the input was accepted");
  return {};
}
