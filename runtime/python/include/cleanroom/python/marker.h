// PEP 508 environment markers ("python_version < '3.12' and sys_platform ==
// 'linux'"), parsed once and evaluated against a target environment: the
// interpreter inside the snapshot, never the host running cleanroom.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace cleanroom::python {

// Values of the marker variables for one target interpreter.
struct MarkerEnvironment {
  std::map<std::string, std::string> values;

  // CPython on Linux: python_version "3.11" from full_version "3.11.2", etc.
  static MarkerEnvironment linux_cpython(const std::string& full_version,
                                         const std::string& machine = "x86_64");
  // A copy with "extra" set (normalized per PEP 685).
  MarkerEnvironment with_extra(const std::string& extra) const;
};

class Marker {
 public:
  struct Node;

  // Throws an Input error naming the problem (unknown variable, bad quoting...).
  static Marker parse(std::string_view text);

  // Throws an Input error for comparisons PEP 508 leaves undefined
  // (e.g. "~=" on a value that is no version).
  bool evaluate(const MarkerEnvironment& env) const;
  std::string str() const;  // normalized: double quotes, single spaces

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace cleanroom::python
