// One PEP 508 requirement ("oslo.config[fixtures]>=9.0; python_version>='3.8'")
// and PEP 503 name normalization. URL and path requirements are refused:
// builds are offline and take distributions only from the wheelhouse.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/marker.h"
#include "cleanroom/python/specifier.h"

namespace cleanroom::python {

// PEP 503: lowercase, runs of "-", "_", "." become one "-".
std::string normalize_name(std::string_view name);
// PEP 508 name syntax: letters and digits, inner ".", "-", "_".
bool is_valid_name(std::string_view name);

struct Requirement {
  std::string name;              // as written
  std::string key;               // normalize_name(name)
  std::set<std::string> extras;  // normalized
  SpecifierSet specifiers;
  std::optional<Marker> marker;
  std::vector<std::string> hashes;  // "sha256:<hex>" from --hash options
  std::string origin;               // "file:line" when read from a file

  // Throws an Input error without a location; callers add "file:line: ".
  static Requirement parse(std::string_view text);

  // True when there is no marker or it holds in env.
  bool applies(const MarkerEnvironment& env) const;
  std::string str() const;  // normalized, without hashes
};

}  // namespace cleanroom::python
