#include "cleanroom/base/byte_budget.h"

#include <algorithm>

#include "cleanroom/base/error.h"

namespace cleanroom {

void ByteBudget::spend(std::uint64_t bytes, const std::string& what) {
  std::uint64_t before = spent_.load();
  // Saturating: a hostile size near 2^64 must not wrap the sum back under the limit.
  for (;;) {
    std::uint64_t after = bytes > limit_ - std::min(before, limit_) ? limit_ + 1 : before + bytes;
    if (after > limit_) {
      spent_.store(limit_ + (limit_ < UINT64_MAX ? 1 : 0));
      throw_environment(what + ": more than " + std::to_string(limit_) +
                        " bytes decompressed in this operation (" + how_to_raise_ + ")");
    }
    if (spent_.compare_exchange_weak(before, after)) return;
  }
}

}  // namespace cleanroom
