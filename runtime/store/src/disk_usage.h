// Bytes a tree takes on disk, as du counts them: allocated blocks, each
// hard-linked file once, links not followed.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::store {

// 0 for a path that does not exist.
std::uint64_t disk_usage(const std::string& path);

}  // namespace cleanroom::store
