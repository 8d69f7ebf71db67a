// A cap on the bytes one operation may produce from untrusted compressed input
// (a diff, a wheel's normalization). A 33 KB .tar.zst can hold a 1 GiB member
// and a 53 KB zip can inflate one stream forty times over, so the compressed
// size says nothing about the work: each reader spends from the operation's
// budget before it inflates, and running out is the machine's limit (exit 3),
// named with the option that raises it. Safe to share between reader threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace cleanroom {

// What a reader that holds its whole output in memory (a zip's entries, a gzip
// file's content) inflates at most when its caller gives no budget: 4 GiB.
constexpr std::uint64_t kInMemoryInflateLimit = std::uint64_t{4} << 30;

class ByteBudget {
 public:
  // how_to_raise ends the error message, e.g. "--max-decompressed raises it".
  ByteBudget(std::uint64_t limit, std::string how_to_raise)
      : limit_(limit), how_to_raise_(std::move(how_to_raise)) {}
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  // Takes bytes from the budget, or throws Error (Environment) naming what.
  void spend(std::uint64_t bytes, const std::string& what);
  std::uint64_t limit() const { return limit_; }
  std::uint64_t spent() const { return spent_.load(); }

 private:
  std::uint64_t limit_;
  std::atomic<std::uint64_t> spent_{0};
  std::string how_to_raise_;
};

}  // namespace cleanroom
