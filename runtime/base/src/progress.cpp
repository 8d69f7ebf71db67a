#include "cleanroom/base/progress.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fmt/format.h>

namespace cleanroom {

namespace {
std::string human(double value, const std::string& unit) {
  if (unit != "B") return fmt::format("{:.0f}", value);
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int i = 0;
  while (value >= 1000 && i < 4) value /= 1000, ++i;
  if (i == 0) return fmt::format("{:.0f} {}", value, units[i]);
  return fmt::format("{:.1f} {}", value, units[i]);
}

std::string clock(double seconds) {
  auto s = static_cast<long>(seconds + 0.5);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}
}  // namespace

namespace {
std::atomic<bool> g_enabled{true};
}  // namespace

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total),
      terminal_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() { finish(); }

std::string Progress::render(const std::string& label, std::uint64_t done, std::uint64_t total,
                             const std::string& unit, double seconds, const std::string& item,
                             int width) {
  double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  if (fraction > 1) fraction = 1;
  std::string line = label + " ";
  if (width > 0) {
    int filled = static_cast<int>(fraction * width);
    line += "[" + std::string(filled, '#') + std::string(width - filled, '-') + "] ";
  }
  line += fmt::format("{:3.0f}% {}/{}", fraction * 100, human(done, unit), human(total, unit));
  if (seconds > 0.5 && done > 0) {
    double rate = static_cast<double>(done) / seconds;
    line += fmt::format(" {}/s", human(rate, unit));
    if (done < total) line += " ETA " + clock(static_cast<double>(total - done) / rate);
  }
  if (!item.empty()) line += " " + item;
  return line;
}

void Progress::advance(std::uint64_t amount, const std::string& item) {
  done_ += amount;
  if (!item.empty()) item_ = item;
  draw(false);
}

void Progress::draw(bool force) {
  if (!g_enabled) return;
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - start_).count();
  if (terminal_) {
    if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    std::fprintf(stderr, "\r\033[K%s", render(label_, done_, total_, unit_, seconds, item_, 30).c_str());
    std::fflush(stderr);
    return;
  }
  int tenth = total_ == 0 ? 10 : static_cast<int>(done_ * 10 / total_);
  if (!force && tenth == last_tenth_) return;
  last_tenth_ = tenth;
  std::fprintf(stderr, "%s\n", render(label_, done_, total_, unit_, seconds, item_, 0).c_str());
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!g_enabled) return;
  if (terminal_) {
    draw(true);
    std::fprintf(stderr, "\n");
  } else if (last_tenth_ != 10) {
    draw(true);
  }
}

}  // namespace cleanroom
