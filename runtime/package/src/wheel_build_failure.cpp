#include "wheel_build_failure.h"

#include <array>
#include <vector>

namespace cleanroom::build {

std::string log_tail(std::string_view log, std::size_t count) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < log.size()) {
    std::size_t end = log.find('\n', pos);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    pos = end + 1;
  }
  std::size_t first = lines.size() > count ? lines.size() - count : 0;
  std::string out;
  for (std::size_t i = first; i < lines.size(); ++i) {
    out += "  ";
    // The log is the sdist's output: no escape sequence reaches the terminal.
    for (char c : lines[i]) out += static_cast<unsigned char>(c) < 0x20 && c != '\t' ? '?' : c;
    out += '\n';
  }
  return out;
}

bool log_shows_missing_package(std::string_view log) {
  // gcc's "fatal error: foo.h: No such file or directory", ld's "cannot find
  // -lfoo", setuptools' and the shell's words for a compiler that is not there.
  static constexpr std::array<std::string_view, 7> kMarks = {
      ".h: No such file or directory",
      ".hpp: No such file or directory",
      "cannot find -l",
      "unable to execute '",
      "command not found",
      "gcc: not found",
      "was not found in the pkg-config search path",
  };
  for (std::string_view mark : kMarks)
    if (log.find(mark) != std::string_view::npos) return true;
  return log.find("failed: No such file or directory") != std::string_view::npos &&
         log.find("error: command '") != std::string_view::npos;
}

}  // namespace cleanroom::build
