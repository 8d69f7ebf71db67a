// What a distribution's core metadata says about its license and authors, for
// the copyright file and the SBOM of the packages that bundle it. Read from
// License-Expression (metadata 2.4), else a short License header, else the
// "License ::" trove classifiers; anything else is unknown, never guessed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::python {

struct LicenseInfo {
  std::string expression;          // SPDX expression, or "" when unknown
  std::string source;              // "License-Expression", "License", "classifier" or ""
  std::vector<std::string> files;  // License-File values, as written
  std::string copyright;           // Author / Author-email / Maintainer, or ""
  bool known() const { return !expression.empty(); }
};

// `text` is a METADATA file; never throws on odd headers.
LicenseInfo license_from_metadata(std::string_view text);

// The SPDX identifier of a trove classifier ("License :: OSI Approved :: MIT
// License" -> "MIT"), or "" when it names no single license.
std::string spdx_from_classifier(std::string_view classifier);

// The SPDX identifier of a common short License header ("BSD", "Apache 2.0",
// "MIT License"), or "" when the header is no license name (a full text, a URL).
std::string spdx_from_license_header(std::string_view value);

}  // namespace cleanroom::python
