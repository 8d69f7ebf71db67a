// libFuzzer entry aimed at the zip reader's central directory: the input is an
// archive's body (local headers, data, central directory entries) and the end
// record is made here to point at its first central entry and count them all,
// so nearly every input reaches the directory walk, the local header checks
// and the refusal of overlapping or repeated entries instead of stopping at
// "no end record". What reads must hold no name twice; what is refused is an
// Error; a small budget keeps declared sizes from exhausting memory.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "cleanroom/base/byte_budget.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/zip.h"

namespace {

void put_le(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string with_end_record(std::string_view body) {
  constexpr std::string_view kCentral("PK\1\2", 4);
  std::size_t first = body.find(kCentral);
  std::size_t offset = first == std::string_view::npos ? body.size() : first;
  std::uint64_t count = 0;
  for (std::size_t at = first; at != std::string_view::npos; at = body.find(kCentral, at + 1))
    ++count;
  std::string out(body);
  out += std::string_view("PK\5\6", 4);
  put_le(out, 0, 2);
  put_le(out, 0, 2);
  put_le(out, count & 0xffff, 2);
  put_le(out, count & 0xffff, 2);
  put_le(out, body.size() - offset, 4);
  put_le(out, offset, 4);
  put_le(out, 0, 2);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string zip = with_end_record(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    cleanroom::ByteBudget budget(std::uint64_t{1} << 24, "fuzz budget");
    cleanroom::formats::ZipArchive archive = cleanroom::formats::read_zip(zip, "fuzz.zip", budget);
    std::set<std::string> names;
    for (const auto& entry : archive.entries)
      if (!names.insert(entry.name).second) std::abort();
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
