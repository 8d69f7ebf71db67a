// Feeds arbitrary bytes to the ar parser and the static library normalizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/ar.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto members = cleanroom::formats::list_ar_memory(bytes, "fuzz.a");
    for (const auto& m : members) {
      // Offsets the parser reports must lie inside the input.
      if (m.offset > size || m.size > size - m.offset) __builtin_trap();
    }
    std::string normalized = cleanroom::formats::normalize_ar_memory(bytes, "fuzz.a");
    if (normalized.size() != size) __builtin_trap();
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
