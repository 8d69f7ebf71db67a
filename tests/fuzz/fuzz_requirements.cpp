// libFuzzer entry for pip requirements/constraints text and single PEP 508
// requirements: parsed or refused with cleanroom::Error, never a crash.
#include "cleanroom/base/error.h"
#include "cleanroom/python/requirement.h"
#include "cleanroom/python/requirements_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    cleanroom::python::parse_requirements_text(input, "/fuzz/requirements.txt");
  } catch (const cleanroom::Error&) {
  }
  try {
    cleanroom::python::Requirement::parse(input);
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
