// Comparing two builds' published files: binary packages byte for byte (with
// the structured diff when they differ); records are listed as not compared,
// since they carry the inputs a variation changes on purpose (Build-Path) or
// the log of the run.
#pragma once

#include <string>
#include <vector>

// file_name pairs the packages; the files that compare them use it too.
#include "cleanroom/base/path.h"
#include "cleanroom/verify/verify.h"

namespace cleanroom::build {

bool is_binary_package(const std::string& path);

// Pairs the packages of both lists by file name; a package on one side only
// is a difference too.
std::vector<ArtifactComparison> compare_packages(const std::vector<std::string>& first,
                                                 const std::vector<std::string>& varied,
                                                 const repro::DiffOptions& options);

// The names of the packages that differ.
std::vector<std::string> differing_names(const std::vector<ArtifactComparison>& list);

// The names of the files that are not binary packages, sorted.
std::vector<std::string> records_of(const std::vector<std::string>& artifacts);

}  // namespace cleanroom::build
