#include "cleanroom/pipeline/build_log_excerpt.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::build {

namespace {

constexpr std::size_t kTailLines = 40;
constexpr std::size_t kTailBytes = 16 * 1024;
constexpr std::size_t kMaxLine = 240;

bool reports_error(std::string_view line) {
  // cleanroom's own lines in the log repeat what the caller reports anyway.
  if (line.rfind("cleanroom:", 0) == 0) return false;
  return line.find("error:") != std::string_view::npos || line.rfind("E: ", 0) == 0;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string error_line_in_tail(std::string_view log_text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < log_text.size()) {
    std::size_t end = log_text.find('\n', start);
    if (end == std::string_view::npos) end = log_text.size();
    lines.push_back(log_text.substr(start, end - start));
    start = end + 1;
  }
  std::size_t first = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    std::string_view line = trimmed(lines[i]);
    if (!reports_error(line)) continue;
    if (line.size() <= kMaxLine) return std::string(line);
    return std::string(line.substr(0, kMaxLine)) + "...";
  }
  return "";
}

std::string error_line_in_log(const std::string& log_path) {
  // The log's directory is bound into the build: a FIFO or link there must
  // not hang or redirect us. The excerpt is only a hint, so a refusal is "".
  UniqueFd fd;
  try {
    fd = open_sandbox_file(parent_dir(log_path), file_name(log_path),
                           std::numeric_limits<std::uint64_t>::max());
  } catch (const Error&) {
    return "";
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return "";
  off_t from = st.st_size > static_cast<off_t>(kTailBytes) ? st.st_size - kTailBytes : 0;
  std::string tail(static_cast<std::size_t>(st.st_size - from), '\0');
  ssize_t n = ::pread(fd.get(), tail.data(), tail.size(), from);
  if (n <= 0) return "";
  tail.resize(static_cast<std::size_t>(n));
  return error_line_in_tail(tail);
}

}  // namespace cleanroom::build
