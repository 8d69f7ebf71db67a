// Runs a callable that must fail with an Input error and returns its message,
// so tests can assert on the text users will read.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "cleanroom/base/error.h"

inline std::string input_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const cleanroom::Error& e) {
    CHECK(e.kind() == cleanroom::ErrorKind::Input);
    return e.what();
  }
  return "no error";
}
