#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {

std::string location(const std::string& file, long line) {
  return file + ":" + std::to_string(line);
}

void Diagnostics::add(const std::string& where, const std::string& message) {
  lines_.push_back(where + ": " + message);
}

void Diagnostics::add(const std::string& line) { lines_.push_back(line); }

void Diagnostics::append(const Diagnostics& other) {
  lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
}

std::string Diagnostics::text() const {
  std::string out;
  for (const auto& line : lines_) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

void Diagnostics::throw_if_any(ErrorKind kind) const {
  if (!lines_.empty()) throw Error(kind, text());
}

}  // namespace cleanroom::python
