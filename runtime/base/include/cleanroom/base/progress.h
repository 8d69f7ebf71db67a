// Progress of a long step: on a terminal one redrawn line with a bar, the rate
// and the time left; otherwise (CI logs, pipes) a plain line every tenth of the
// way, so logs stay readable and short.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cleanroom {

class Progress {
 public:
  // unit "B" shows sizes and a byte rate; "" counts items.
  Progress(std::string label, std::uint64_t total, std::string unit);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  void advance(std::uint64_t amount, const std::string& item = "");
  void finish();

  // Off for the whole process (`-q`: only errors and result paths).
  static void set_enabled(bool enabled);

  // The line as drawn, for tests: label, percent, rate, time left, item.
  static std::string render(const std::string& label, std::uint64_t done, std::uint64_t total,
                            const std::string& unit, double seconds, const std::string& item,
                            int width);

 private:
  void draw(bool force);

  std::string label_, unit_, item_;
  std::uint64_t total_ = 0, done_ = 0;
  bool terminal_ = false, finished_ = false;
  int last_tenth_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace cleanroom
