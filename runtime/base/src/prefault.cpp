#include "cleanroom/base/prefault.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

// The first byte of the executable's image and the end of its code, both
// defined by the GNU linker's default script (static and PIE alike).
extern "C" char __executable_start[];
extern "C" char etext[];

namespace cleanroom {
namespace {

void populate(const char* begin, const char* end, int advice) {
  auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  auto first = reinterpret_cast<std::uintptr_t>(begin) & ~(page - 1);
  auto last = reinterpret_cast<std::uintptr_t>(end);
  if (last <= first) return;
  madvise(reinterpret_cast<void*>(first), last - first, advice);
}

}  // namespace

void prefault_code() { populate(__executable_start, etext, MADV_POPULATE_READ); }

void prefault_heap(std::size_t bytes) {
  // One allocation of `bytes` from the heap (not from mmap, glibc's choice
  // above 128 KiB), populated and freed: it becomes the top of the heap, where
  // the next allocations are carved from, and the pad keeps glibc from giving
  // it back to the kernel.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(2 * bytes));
  auto* probe = static_cast<char*>(std::malloc(bytes));
  if (probe != nullptr) populate(probe, probe + bytes, MADV_POPULATE_WRITE);
  std::free(probe);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

}  // namespace cleanroom
