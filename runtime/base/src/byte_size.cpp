#include "cleanroom/base/byte_size.h"

#include <fmt/format.h>

namespace cleanroom {

std::string human_size(std::uint64_t bytes) {
  const char* units[] = {"B", "K", "M", "G", "T"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{}B", bytes) : fmt::format("{:.1f}{}", v, units[u]);
}

}  // namespace cleanroom
