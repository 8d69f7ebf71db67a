// The C source a variation's preamble writes with a heredoc (`cat > FILE
// <<'CLEANROOM_SHIM_EOF'`), for tests that compile and run the shims here.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "cleanroom/verify/variation.h"

inline std::string preamble_heredoc(const cleanroom::build::VariationSet& set,
                                    const std::string& file = "shims.c") {
  cleanroom::build::StepVariation o = apply_variations(set, {2, 65536});
  const std::string open = file + " <<'CLEANROOM_SHIM_EOF'\n", close = "CLEANROOM_SHIM_EOF\n";
  auto start = o.preamble.find(open);
  REQUIRE(start != std::string::npos);
  start += open.size();
  auto end = o.preamble.find(close, start);
  REQUIRE(end != std::string::npos);
  return o.preamble.substr(start, end - start);
}
