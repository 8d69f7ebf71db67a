// The sandbox side of building one sdist into a wheel, as plain text and data
// so it can be read in the log and tested: unpack at a fixed build path, then
// pip wheel offline without build isolation (the build tools come from the
// prepared layer, never from an index). The environment pins everything that
// would otherwise leak into the wheel: SOURCE_DATE_EPOCH, the build path in
// debug info (-ffile-prefix-map), the version pbr and setuptools-scm would ask
// git for (there is no git history in an sdist's unpacked tree).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cleanroom::build {

struct SdistBuild {
  std::string sdist;       // inside the sandbox, e.g. /cleanroom/sources/foo-1.0.tar.gz
  std::string build_path;  // fixed: /build/<name>-<version>
  std::string out_dir;     // where pip writes the wheel
  std::string version;     // the sdist's version (for pbr / setuptools-scm)
  std::string python = "/usr/bin/python3";
  std::string log;         // the distribution's own log, appended to
  std::int64_t source_date_epoch = 0;
};

// "/build/<name>-<version>"; the name normalized so every spelling agrees.
std::string sdist_build_path(const std::string& key, const std::string& version);

std::string sdist_build_script(const SdistBuild& build);
std::vector<std::string> sdist_build_environment(const SdistBuild& build);

}  // namespace cleanroom::build
