// Maps memory a process is about to touch in one system call instead of one
// page fault per page. Start-up is part of every `cleanroom run` and build
// step, and on some virtual machines a page fault costs about 10 µs, twenty
// times what populating the same page costs. Best effort: before Linux 5.14
// (no MADV_POPULATE_*) both do nothing.
#pragma once

#include <cstddef>

namespace cleanroom {

// This executable's code. Worth it for a small executable whose start-up runs
// through most of it (the sandbox helper), not for a large one.
void prefault_code();

// Allocates `bytes` from the heap, populates them and frees them, so that they
// stay at the heap's top and the next `bytes` of allocations need no fault.
void prefault_heap(std::size_t bytes);

}  // namespace cleanroom
