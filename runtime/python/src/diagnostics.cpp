#include "cleanroom/python/diagnostics.h"

#include <algorithm>
#include <cstdlib>

#include "cleanroom/base/join.h"

namespace cleanroom::python {

std::string location(const std::string& file, long line) {
  return file + ":" + std::to_string(line);
}

void Diagnostics::add(const std::string& where, const std::string& message) {
  lines_.push_back(where + ": " + message);
}

void Diagnostics::add(const std::string& line) { lines_.push_back(line); }

void Diagnostics::add_lines(const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty()) lines_.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

void Diagnostics::append(const Diagnostics& other) {
  lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
}

namespace {

// ("file", line) from "file:line: message"; lines without one sort first.
std::pair<std::string, long> position(const std::string& text) {
  std::size_t end = text.find(": ");
  if (end == std::string::npos) return {"", 0};
  std::size_t colon = text.rfind(':', end - 1);
  if (colon == std::string::npos || end == 0) return {"", 0};
  return {text.substr(0, colon), std::strtol(text.c_str() + colon + 1, nullptr, 10)};
}

}  // namespace

std::string Diagnostics::text() const {
  // File order reads best, whatever order the checks ran in.
  std::vector<std::string> sorted = lines_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return position(a) < position(b);
  });
  return join(sorted, "\n");
}

void Diagnostics::throw_if_any(ErrorKind kind) const {
  if (!lines_.empty()) throw Error(kind, text());
}

}  // namespace cleanroom::python
