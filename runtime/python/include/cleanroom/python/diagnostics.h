// Collects every problem found in an input before failing, so a recipe or a
// requirements file with three mistakes is reported as three lines at once
// ("file:line: what is wrong; how to fix it") instead of one per run.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/base/error.h"

namespace cleanroom::python {

// "path:line" as used at the front of every diagnostic line.
std::string location(const std::string& file, long line);

class Diagnostics {
 public:
  void add(const std::string& where, const std::string& message);
  void add(const std::string& line);
  void append(const Diagnostics& other);
  // Each line of a multi-line message (another Diagnostics' error) on its own.
  void add_lines(const std::string& text);

  bool empty() const { return lines_.empty(); }
  const std::vector<std::string>& lines() const { return lines_; }
  std::string text() const;  // lines joined by '\n'

  // One Error holding every line; nothing when empty.
  void throw_if_any(ErrorKind kind = ErrorKind::Input) const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace cleanroom::python
