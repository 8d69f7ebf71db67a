// libFuzzer entry for the changes parser; the checks live in text_format_checks.h.
#include <cstdlib>

#include "text_format_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!cleanroom::fuzz::check_changes(input)) std::abort();
  return 0;
}
