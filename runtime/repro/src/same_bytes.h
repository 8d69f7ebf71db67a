// Whether two files of the same size hold the same bytes: the question asked
// first of every pair of inputs, and the whole answer when they are identical.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::repro::detail {

// Reads both files with pread in 128 KiB chunks (they stay in the CPU cache
// between read and compare), a large pair in two halves on two threads, and
// stops at the first difference. Throws Error (Input) when a file cannot be read.
bool same_bytes(const std::string& a, const std::string& b, std::uint64_t size);

}  // namespace cleanroom::repro::detail
