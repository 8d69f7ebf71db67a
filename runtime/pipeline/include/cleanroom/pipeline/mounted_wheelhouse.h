// --wheelhouse DIR|DEB: the directory of wheels a build step sees read-only.
// A wheelhouse .deb is unpacked (safely, by the format layer) into the work dir
// and the directory holding its wheels is used.
#pragma once

#include <string>

namespace cleanroom::build {

// Returns the host directory to mount. For a .deb, unpacks into work_dir/wheelhouse.
// Throws Error(Input) when the path is neither, or the .deb holds no wheel.
std::string resolve_wheelhouse(const std::string& path, const std::string& work_dir);

}  // namespace cleanroom::build
