// Feeds arbitrary bytes to the streaming tar reader (all filters it enables).
// Input errors are the expected outcome for junk; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/tar.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    cleanroom::formats::read_tar_memory(
        bytes, "fuzz.tar", [](const cleanroom::formats::TarEntry& entry, const auto& content) {
          // Reading content exercises the decompressors, not only the headers.
          // Tiny inputs may claim huge sizes: a bomb is not a bug of the reader.
          if (entry.size < (1u << 20)) content();
        });
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
