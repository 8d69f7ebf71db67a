// Fixtures for the zip, wheel and pyc tests come from the host's python3, the
// reference implementation those formats are checked against.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/base/process.h"

namespace cleanroom::test {

struct PythonResult {
  int status = 0;
  std::string output;
};

inline PythonResult run_python(const std::string& script, std::vector<std::string> args = {}) {
  ProcessSpec spec;
  spec.argv = {"python3", "-c", script};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  ProcessResult result = run_process(spec, true);
  return {result.status, result.output};
}

}  // namespace cleanroom::test
