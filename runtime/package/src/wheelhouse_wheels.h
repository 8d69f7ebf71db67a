// What the pipelines read out of a wheel on the host: its member list (for the
// pure-fallback check), its core metadata (the dependencies an sdist revealed
// only once built) and its entry points (a venv's default /usr/bin links).
#pragma once

#include <string>
#include <vector>

#include "cleanroom/python/distribution.h"
#include "cleanroom/python/license_info.h"
#include "cleanroom/python/wheel_name.h"

namespace cleanroom::build {

struct WheelFacts {
  python::WheelName name;
  std::vector<std::string> members;
  python::CoreMetadata metadata;
  std::string entry_points;  // entry_points.txt, "" when the wheel has none
  python::LicenseInfo license;  // from METADATA
};

// Throws Error(Input) naming the wheel when it is no readable wheel.
WheelFacts read_wheel_facts(const std::string& path);

// A resolver candidate with its dependencies known.
python::Distribution wheel_distribution(const WheelFacts& facts);

}  // namespace cleanroom::build
