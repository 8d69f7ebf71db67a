// Sizes as people read them, in binary units like du -h and CLI11's size
// options ("1.5G" is 1.5 GiB).
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom {

std::string human_size(std::uint64_t bytes);

}  // namespace cleanroom
