// .buildinfo files (deb-buildinfo(5)): what was built, from what, where. Written
// like dpkg-genbuildinfo, plus cleanroom's X-Cleanroom-* fields that let
// `cleanroom audit` rebuild from the file alone; read back into the same struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleanroom/formats/deb822_checksums.h"

namespace cleanroom::formats {

struct BuildinfoFile {
  std::string format = "1.0";
  std::string source;                      // "name" or "name (version)" for binary-only builds
  std::vector<std::string> binaries;       // written sorted
  std::vector<std::string> architectures;  // written sorted
  std::string version;
  // A binNMU's changelog entry, as text (lines without the field's leading
  // space, " ." as an empty line); "" for an ordinary build.
  std::string binary_only_changes;
  std::vector<FileChecksums> files;  // Checksums-Md5/-Sha1/-Sha256
  std::string build_origin;          // vendor, e.g. "Debian"
  std::string build_architecture;
  std::string build_kernel_version;  // optional: varies between machines
  std::string build_date;            // RFC 2822
  std::string build_path;            // optional
  std::vector<std::string> build_tainted_by;
  // Entries "name (= version)" or "name:arch (= version)", written sorted.
  std::vector<std::string> installed_build_depends;
  std::vector<std::pair<std::string, std::string>> environment;  // written sorted by name

  // Extension fields, written after Debian's own.
  std::string cleanroom_snapshot;                 // X-Cleanroom-Snapshot: the snapshot id
  std::string cleanroom_wheelhouse;               // X-Cleanroom-Wheelhouse: its hash, if any
  std::string cleanroom_recipe;                   // X-Cleanroom-Recipe: the recipe hash, if any
  std::optional<std::int64_t> source_date_epoch;  // X-Cleanroom-Source-Date-Epoch
};

// The variables of Environment that a rebuild sets as recorded: those that
// change what a build makes (DEB_BUILD_OPTIONS, DEB_BUILD_PROFILES, the
// locale, TZ). Others dpkg records (toolchain overrides, SOURCE_DATE_EPOCH,
// which the changelog gives) are not taken from a file anyone may write.
bool rebuild_environment_variable(std::string_view name);

std::string write_buildinfo(const BuildinfoFile& buildinfo);

// Reads a (possibly clearsigned) .buildinfo. name is used in messages. Rejects a
// Format other than 1.0 and fields malformed for their kind, naming file:line.
BuildinfoFile parse_buildinfo(std::string_view text, const std::string& name);
BuildinfoFile read_buildinfo_file(const std::string& path);

}  // namespace cleanroom::formats
