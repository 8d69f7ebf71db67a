// Chroot definitions: chroots/<suite>.toml says how to bootstrap one Debian
// suite (mirror, keyrings, components, variant, default packages) and which
// .deb compression that suite's dpkg reads. docs/store.md lists the keys.
#pragma once

#include <string>
#include <vector>

namespace cleanroom::store {

struct ChrootDefinition {
  std::string suite;
  std::string mirror;
  std::vector<std::string> keyrings;
  std::vector<std::string> components;
  std::string variant = "buildd";
  std::vector<std::string> packages;
  std::string deb_compression;    // "xz" or "zstd"
  bool check_valid_until = true;  // false for archive.debian.org suites
};

// Parses one definition. Errors are Error(Input) "file:line: what", and every
// problem of the file is reported at once.
ChrootDefinition parse_chroot_definition(const std::string& text, const std::string& file_name);

// Directory holding the definitions: $CLEANROOM_CHROOTS, else the installed
// share/cleanroom/chroots next to the executable, else the source tree's chroots/.
std::string chroot_definitions_dir();
// Suites with a definition in dir, sorted.
std::vector<std::string> known_suites(const std::string& dir);
// Loads dir/<suite>.toml; an unknown suite is Error(Input) listing the known ones.
ChrootDefinition load_chroot_definition(const std::string& dir, const std::string& suite);

}  // namespace cleanroom::store
