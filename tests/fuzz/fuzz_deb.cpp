// Feeds arbitrary bytes to the .deb reader: container checks, then both tar
// members, content included.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    cleanroom::formats::DebReader reader(bytes, "fuzz.deb");
    auto visit = [](const cleanroom::formats::TarEntry& entry, const auto& content) {
      if (entry.size < (1u << 20)) content();  // a claimed huge size is no reader bug
    };
    reader.read_control(visit);
    reader.read_data(visit);
    (void)reader.control_text();
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
