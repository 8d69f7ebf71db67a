// The extractor over an already opened stream, so a tar inside another
// container (a .deb member) is extracted with the same rules as a file.
#pragma once

#include <string>

#include "cleanroom/formats/tar.h"
#include "tar_stream.h"

namespace cleanroom::formats {

void extract_stream(TarStream& stream, const std::string& dest, const ExtractOptions& options);

}  // namespace cleanroom::formats
