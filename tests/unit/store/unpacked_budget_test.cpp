#include <catch2/catch.hpp>

#include "cleanroom/formats/tar.h"
#include "cleanroom/store/import.h"

using namespace cleanroom;

TEST_CASE("an archive may unpack to 100 times its size, within 256 MiB and 32 GiB") {
  constexpr std::uint64_t MiB = 1 << 20;
  CHECK(store::unpacked_budget(33 * 1024) == 256 * MiB);
  CHECK(store::unpacked_budget(0) == 256 * MiB);
  CHECK(store::unpacked_budget(100 * MiB) == 10000 * MiB);
  CHECK(store::unpacked_budget(std::uint64_t{1} << 40) == formats::kExtractMaxBytes);
  CHECK(store::unpacked_budget(UINT64_MAX) == formats::kExtractMaxBytes);
  CHECK(formats::kExtractMaxBytes == std::uint64_t{32} << 30);
}
