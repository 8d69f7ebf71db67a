// libFuzzer entry for the zip reader and normalizer: any input is read or
// refused with cleanroom::Error; what normalizes must normalize to a fixed point.
#include <cstdlib>
#include <string>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/zip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    cleanroom::formats::read_zip(input, "fuzz.zip");
    std::string once = cleanroom::formats::normalize_zip(input, "fuzz.zip", 1704067200);
    if (cleanroom::formats::normalize_zip(once, "fuzz.zip", 1704067200) != once) std::abort();
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
