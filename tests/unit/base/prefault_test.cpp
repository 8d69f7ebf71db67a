#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>

#include "cleanroom/base/prefault.h"
#include "host_skip.h"

namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

}  // namespace

TEST_CASE("prefault_heap: the heap it adds is mapped before the allocations touch it") {
#if defined(__SANITIZE_ADDRESS__)
  cleanroom::test::host_skip("the address sanitizer's allocator does not use the heap");
  return;
#endif
  cleanroom::prefault_heap(2 * 1024 * 1024);
  long before = minor_faults();
  // A megabyte of fresh heap: about 250 page faults without the prefault.
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(256);
  for (int i = 0; i < 256; ++i) {
    blocks.emplace_back(new char[4000]);
    std::memset(blocks.back().get(), 1, 4000);
  }
  CHECK(minor_faults() - before < 16);
}
