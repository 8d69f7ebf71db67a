// Canonical entry order and metadata for the deterministic tar writer: the
// steps that decide the bytes, kept apart from libarchive so they are tested
// on their own.
#pragma once

#include <vector>

#include "cleanroom/formats/tar.h"

namespace cleanroom::formats {

// Throws Error(Input) for a path that is not relative and normalized.
void check_entry_path(const std::string& path);

// Path order with '/' lowest, so a directory's whole subtree follows it
// directly and parents always precede children.
bool tar_path_less(const std::string& a, const std::string& b);

// Applies clamp/owner/permission options, sorts, and rewrites hardlink groups so
// the first path in order holds the content. Throws Error(Input) for duplicate
// paths and hardlinks to missing or directory targets.
void canonicalize_entries(std::vector<TarEntry>& entries, const TarWriteOptions& options);

std::uint32_t normalized_mode(const TarEntry& entry);

}  // namespace cleanroom::formats
