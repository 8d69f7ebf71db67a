// Wheel and sdist file names. A wheel's name carries what it runs on
// (name-version(-build)?-python-abi-platform.whl, PEP 427/425, tag sets
// compressed with "."), so most of the resolver's choices are made from the
// directory listing alone, without opening a file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/pep440_version.h"

namespace cleanroom::python {

struct WheelName {
  std::string filename;
  std::string name;  // as written in the file name
  std::string key;   // normalize_name(name)
  Version version;
  std::optional<std::uint64_t> build_number;  // "-1-" or "-1local-": the number part
  std::string build_tag;                      // the whole build tag, "" when none
  std::vector<std::string> python_tags;       // expanded: "py2.py3" -> py2, py3
  std::vector<std::string> abi_tags;
  std::vector<std::string> platform_tags;

  // Throws an Input error naming the file and the problem.
  static WheelName parse(std::string_view filename);
  // True when every platform tag is "any": the wheel runs anywhere.
  bool platform_independent() const;
};

struct SdistName {
  std::string filename;
  std::string name;
  std::string key;
  Version version;

  // name-version.tar.gz (or .zip, .tar.bz2, .tar.xz, .tgz, .tar); the name may
  // itself hold dashes, so the version is the last dash-separated part that
  // parses as one. Throws an Input error.
  static SdistName parse(std::string_view filename);
  static bool looks_like_sdist(std::string_view filename);
};

}  // namespace cleanroom::python
