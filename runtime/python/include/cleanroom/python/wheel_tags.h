// Which wheels run on the target interpreter (PEP 425 tags, manylinux per
// PEP 600). The target is the Python inside the snapshot, described by value,
// never probed from the host. The supported tags are ordered most specific
// first, like pip's get_supported(), so the rank of a wheel's best tag
// chooses between several wheels of one version the way pip does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cleanroom/python/wheel_name.h"

namespace cleanroom::python {

struct Tag {
  std::string interpreter;  // cp311, py3
  std::string abi;          // cp311, abi3, none
  std::string platform;     // manylinux_2_17_x86_64, linux_x86_64, any
  bool operator==(const Tag&) const = default;
};

struct WheelTarget {
  unsigned python_major = 3;
  unsigned python_minor = 11;
  std::string machine = "x86_64";  // uname -m of the target
  unsigned glibc_major = 2;
  unsigned glibc_minor = 36;  // bookworm

  // From facts about the snapshot: Python "3.11.2", Debian architecture
  // "amd64", glibc "2.36" (dpkg-query -W libc6 upstream part). Throws an Input
  // error for a version or architecture it cannot map.
  static WheelTarget for_snapshot(const std::string& python_full_version,
                                  const std::string& debian_arch, const std::string& glibc_version);

  // Supported tags, most preferred first.
  std::vector<Tag> supported_tags() const;
  // Platform tags, most preferred first: manylinux_2_N down to the oldest, then linux_<machine>.
  std::vector<std::string> platforms() const;
};

// uname -m of a Debian architecture ("amd64" -> "x86_64"); empty when unknown.
std::string machine_for_debian_arch(const std::string& debian_arch);

// Index in `supported` of the best tag the wheel carries; nullopt when the
// wheel does not run on the target.
std::optional<std::size_t> wheel_rank(const WheelName& wheel, const std::vector<Tag>& supported);

}  // namespace cleanroom::python
