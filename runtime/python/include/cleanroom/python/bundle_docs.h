// The documents a venv or wheelhouse .deb carries about what it bundles, as
// Debian's tools expect them: a machine-readable copyright file (DEP-5), a
// changelog, lintian overrides for what the layout makes inherent, an
// extended description, and a CycloneDX SBOM. Pure text: the same input
// always gives the same bytes, so two builds still compare equal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cleanroom/python/license_info.h"

namespace cleanroom::python {

struct BundledDistribution {
  std::string name;     // as its metadata spells it
  std::string version;
  std::string wheel;    // file name
  std::string sha256;   // of the wheel
  LicenseInfo license;
  // Where it lands, relative to the package root, as DEP-5 Files patterns
  // ("opt/venvs/svc/lib/python3.11/site-packages/yaml/*").
  std::vector<std::string> paths;
  std::vector<std::string> license_files;  // installed license texts, relative to the root
};

enum class BundleKind { Venv, Wheelhouse };

struct BundleFacts {
  BundleKind kind = BundleKind::Venv;
  std::string package, version, architecture, maintainer, distribution;
  std::string install_path;  // absolute: /opt/venvs/svc
  std::int64_t source_date_epoch = 0;
  std::vector<BundledDistribution> bundled;  // sorted by name
  std::vector<std::string> depends;  // the Debian relations of Depends, one per entry
  std::string tool_version;          // cleanroom's, recorded in the SBOM
};

std::string dep5_copyright(const BundleFacts& facts);

// One entry, from the recipe: a changelog.Debian.gz (or changelog.gz for a
// native version) that says what was built and when.
std::string generated_changelog(const BundleFacts& facts);
// "changelog.Debian.gz" or, for a version without a Debian revision, "changelog.gz".
std::string changelog_file_name(const std::string& version);

// Each override with a comment saying why the tag is inherent to the layout.
std::string lintian_overrides(const BundleFacts& facts);

// The control file's extended description (lines without the leading space):
// the recipe's text, else the bundled distributions with their versions.
std::string extended_description(const BundleFacts& facts, const std::string& from_recipe);

// CycloneDX 1.5 JSON; timestamp from SOURCE_DATE_EPOCH, serial number from
// the content, so it is as reproducible as the package.
std::string cyclonedx_sbom(const BundleFacts& facts);

// Each distribution whose license is unknown, as "name version".
std::vector<std::string> unknown_licenses(const BundleFacts& facts);

}  // namespace cleanroom::python
