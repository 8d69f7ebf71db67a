// The distributions a resolver may choose from: wheels and sdists found in a
// directory listing, plus what their core metadata (METADATA / PKG-INFO) says
// they need. Reading the archives is the caller's job; this code only parses
// names and metadata text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/requirement.h"
#include "cleanroom/python/specifier.h"
#include "cleanroom/python/wheel_name.h"

namespace cleanroom::python {

// The parts of core metadata (RFC 822 style headers) that resolution needs.
struct CoreMetadata {
  std::string name;
  std::string version;
  std::vector<Requirement> requires_dist;
  std::optional<SpecifierSet> requires_python;
  std::vector<std::string> provides_extra;  // normalized
};

// `where` names the text in messages ("foo-1.0-py3-none-any.whl: METADATA").
// Throws one Input error listing every unparsable header.
CoreMetadata parse_core_metadata(std::string_view text, const std::string& where);

struct Distribution {
  enum class Kind { Wheel, Sdist };
  Kind kind = Kind::Sdist;
  std::string filename;
  std::string name;
  std::string key;  // normalized name
  Version version;
  std::optional<WheelName> wheel;  // when kind == Wheel
  // What the distribution needs; nullopt when unknown (an sdist not built yet,
  // or a wheel whose METADATA the caller did not supply).
  std::optional<std::vector<Requirement>> requires_dist;
  std::optional<SpecifierSet> requires_python;
  std::string sha256;  // when known: checked against --hash options

  // Takes what resolution needs from the metadata; throws an Input error when
  // its Name or Version contradicts the file name (a mislabelled file).
  void set_metadata(const CoreMetadata& metadata);
};

struct DistributionListing {
  std::vector<Distribution> distributions;  // sorted by key, version, filename
  std::vector<std::string> ignored;         // files that are neither wheel nor sdist
};

// Classifies the file names of a sources directory or wheelhouse. Names that
// look like a wheel or an sdist but do not parse are errors, all reported at once.
DistributionListing distributions_from_filenames(const std::vector<std::string>& filenames);

// The file names in `dir` (not recursive, sorted, no dot-files).
std::vector<std::string> list_directory(const std::string& dir);

}  // namespace cleanroom::python
