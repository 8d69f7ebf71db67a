// The sandbox side of building one sdist into a wheel, as plain text and data
// so it can be read in the log and tested: unpack at a fixed build path, then
// pip wheel offline without build isolation (the build tools come from the
// prepared layer, never from an index). The environment pins everything that
// would otherwise leak into the wheel: SOURCE_DATE_EPOCH, the build path in
// debug info (-ffile-prefix-map), the version pbr and setuptools-scm would ask
// git for (there is no git history in an sdist's unpacked tree).
#pragma once

#include <cstdint>
#include <map>
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
  // The recipe's [build_env] for this distribution. CFLAGS and CXXFLAGS are
  // appended to cleanroom's path map; every other name is set as given.
  std::map<std::string, std::string> env;
};

// "/build/<name>-<version>"; the name normalized so every spelling agrees.
std::string sdist_build_path(const std::string& key, const std::string& version);

// Unpacks the sdist at build_path: its single top directory stripped when it
// has exactly one and nothing beside it, else its root as it is.
std::string sdist_unpack_script(const SdistBuild& build);
std::string sdist_build_script(const SdistBuild& build);
std::vector<std::string> sdist_build_environment(const SdistBuild& build);

}  // namespace cleanroom::build
