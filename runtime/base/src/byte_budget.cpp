#include "cleanroom/base/byte_budget.h"

#include "cleanroom/base/error.h"

namespace cleanroom {

void ByteBudget::spend(std::uint64_t bytes, const std::string& what) {
  // spent_ never passes limit_, so limit_ - before cannot wrap, and a hostile
  // size near 2^64 cannot wrap the sum back under the limit either.
  std::uint64_t before = spent_.load();
  do {
    if (bytes > limit_ - before)
      throw_environment(what + ": more than " + std::to_string(limit_) +
                        " bytes decompressed in this operation (" + how_to_raise_ + ")");
  } while (!spent_.compare_exchange_weak(before, before + bytes));
}

}  // namespace cleanroom
