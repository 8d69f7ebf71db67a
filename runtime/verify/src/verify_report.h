// Rendering comparisons for people and for --json; shared by verify and audit.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cleanroom/repro/diff.h"

namespace cleanroom::build {

// One line per difference ("data.tar.xz::./usr/bin/x: text content differs")
// with its detail indented below, each line prefixed by indent.
std::string format_differences(const repro::DiffResult& diff, const std::string& indent);

nlohmann::ordered_json differences_to_json(const repro::DiffResult& diff);

}  // namespace cleanroom::build
