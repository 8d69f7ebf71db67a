#include "cleanroom/python/license_info.h"

#include <algorithm>
#include <array>
#include <utility>

#include "ascii_text.h"

namespace cleanroom::python {

namespace {

// Classifier leaves and common License headers, lower case, with the SPDX id
// they name. "BSD" alone names no single license: left unknown.
constexpr std::array<std::pair<std::string_view, std::string_view>, 42> kNames = {{
    {"mit license", "MIT"}, {"mit", "MIT"}, {"expat", "MIT"},
    {"apache software license", "Apache-2.0"}, {"apache 2.0", "Apache-2.0"},
    {"apache-2.0", "Apache-2.0"}, {"apache license 2.0", "Apache-2.0"},
    {"apache license, version 2.0", "Apache-2.0"}, {"apache 2", "Apache-2.0"},
    {"asl 2.0", "Apache-2.0"}, {"apache license version 2.0", "Apache-2.0"},
    {"bsd-2-clause", "BSD-2-Clause"}, {"bsd-3-clause", "BSD-3-Clause"},
    {"new bsd license", "BSD-3-Clause"}, {"new bsd", "BSD-3-Clause"},
    {"3-clause bsd", "BSD-3-Clause"}, {"bsd 3-clause", "BSD-3-Clause"},
    {"simplified bsd", "BSD-2-Clause"}, {"isc license (iscl)", "ISC"}, {"isc", "ISC"},
    {"isc license", "ISC"}, {"python software foundation license", "PSF-2.0"},
    {"psf", "PSF-2.0"}, {"psfl", "PSF-2.0"}, {"psf-2.0", "PSF-2.0"},
    {"mozilla public license 2.0 (mpl 2.0)", "MPL-2.0"}, {"mpl-2.0", "MPL-2.0"},
    {"mpl 2.0", "MPL-2.0"},
    {"gnu lesser general public license v2 or later (lgplv2+)", "LGPL-2.0-or-later"},
    {"gnu lesser general public license v3 (lgplv3)", "LGPL-3.0-only"},
    {"gnu lesser general public license v3 or later (lgplv3+)", "LGPL-3.0-or-later"},
    {"gnu general public license v2 (gplv2)", "GPL-2.0-only"},
    {"gnu general public license v2 or later (gplv2+)", "GPL-2.0-or-later"},
    {"gnu general public license v3 (gplv3)", "GPL-3.0-only"},
    {"gnu general public license v3 or later (gplv3+)", "GPL-3.0-or-later"},
    {"gpl-2.0-or-later", "GPL-2.0-or-later"}, {"lgpl-2.1-or-later", "LGPL-2.1-or-later"},
    {"zope public license", "ZPL-2.1"}, {"zpl 2.1", "ZPL-2.1"},
    {"the unlicense (unlicense)", "Unlicense"}, {"unlicense", "Unlicense"},
    {"public domain", "LicenseRef-public-domain"},
}};

std::string lookup(std::string_view name) {
  std::string lower = ascii::lower(std::string(ascii::trim(name)));
  for (const auto& [key, id] : kNames)
    if (lower == key) return std::string(id);
  return "";
}

// Each " AND "-joined classifier id once, in the order first seen.
void add_unique(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

std::string spdx_from_classifier(std::string_view classifier) {
  std::size_t last = classifier.rfind("::");
  if (last == std::string_view::npos) return "";
  return lookup(classifier.substr(last + 2));
}

std::string spdx_from_license_header(std::string_view value) {
  // A header longer than a name is a license text or a sentence.
  if (value.size() > 60 || value.find('\n') != std::string_view::npos) return "";
  return lookup(value);
}

LicenseInfo license_from_metadata(std::string_view text) {
  LicenseInfo info;
  std::string header;
  std::vector<std::string> classifiers;
  std::string author, author_email, maintainer;
  bool more = false;  // a folded License header: a full text, not a name
  ascii::for_each_line(text, [&](long, std::string_view line) {
    if (line.empty()) return false;
    if (line[0] == ' ' || line[0] == '\t') {
      more = more || !header.empty();
      return true;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return true;
    std::string field = ascii::lower(std::string(line.substr(0, colon)));
    // The values end up in deb822 fields: no control character may break a line.
    std::string value(ascii::trim(line.substr(colon + 1)));
    for (char& c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    if (field == "license-expression") info.expression = value, info.source = "License-Expression";
    else if (field == "license") header = value, more = false;
    else if (field == "license-file") info.files.push_back(value);
    else if (field == "classifier" && value.starts_with("License ::")) {
      std::string id = spdx_from_classifier(value);
      if (!id.empty()) add_unique(classifiers, id);
    } else if (field == "author") author = value;
    else if (field == "author-email") author_email = value;
    else if (field == "maintainer") maintainer = value;
    return true;
  });
  if (info.expression.empty() && !more) {
    std::string id = spdx_from_license_header(header);
    if (!id.empty()) info.expression = id, info.source = "License";
  }
  if (info.expression.empty() && !classifiers.empty()) {
    for (const auto& id : classifiers)
      info.expression += (info.expression.empty() ? "" : " AND ") + id;
    info.source = "classifier";
  }
  info.copyright = !author.empty() ? author : !author_email.empty() ? author_email : maintainer;
  return info;
}

}  // namespace cleanroom::python
