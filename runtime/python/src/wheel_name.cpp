#include "cleanroom/python/wheel_name.h"

#include <algorithm>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/python/requirement.h"

namespace cleanroom::python {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    out.emplace_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

[[noreturn]] void bad_name(std::string_view filename, const std::string& why) {
  throw_input("'" + std::string(filename) + "' is not a valid wheel file name: " + why +
              "; wheels are named name-version(-build)?-python-abi-platform.whl");
}

const char* const kSdistSuffixes[] = {".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tar", ".zip"};

}  // namespace

WheelName WheelName::parse(std::string_view filename) {
  if (!filename.ends_with(".whl")) bad_name(filename, "it does not end in .whl");
  auto parts = split(filename.substr(0, filename.size() - 4), '-');
  if (parts.size() != 5 && parts.size() != 6) {
    bad_name(filename,
             "it has " + std::to_string(parts.size()) + " dash-separated parts, not 5 or 6");
  }
  WheelName w;
  w.filename = std::string(filename);
  w.name = parts[0];
  if (!is_valid_name(w.name)) bad_name(filename, "'" + w.name + "' is not a distribution name");
  w.key = normalize_name(w.name);
  auto version = Version::parse(parts[1]);
  if (!version) bad_name(filename, "'" + parts[1] + "' is not a PEP 440 version");
  w.version = *version;
  std::size_t tags = 2;
  if (parts.size() == 6) {
    w.build_tag = parts[2];
    std::size_t digits = 0;
    while (digits < w.build_tag.size() && ascii::is_digit(w.build_tag[digits])) ++digits;
    if (digits == 0)
      bad_name(filename, "build tag '" + w.build_tag + "' does not start with a digit");
    if (digits > 19) bad_name(filename, "build tag '" + w.build_tag + "' is too long");
    w.build_number = std::stoull(w.build_tag.substr(0, digits));
    tags = 3;
  }
  w.python_tags = split(parts[tags], '.');
  w.abi_tags = split(parts[tags + 1], '.');
  w.platform_tags = split(parts[tags + 2], '.');
  for (const auto* set : {&w.python_tags, &w.abi_tags, &w.platform_tags}) {
    for (const auto& tag : *set) {
      if (tag.empty()) bad_name(filename, "it has an empty tag");
    }
  }
  return w;
}

bool WheelName::platform_independent() const {
  return std::all_of(platform_tags.begin(), platform_tags.end(),
                     [](const std::string& t) { return t == "any"; });
}

bool SdistName::looks_like_sdist(std::string_view filename) {
  return std::any_of(std::begin(kSdistSuffixes), std::end(kSdistSuffixes),
                     [&](const char* s) { return filename.ends_with(s); });
}

SdistName SdistName::parse(std::string_view filename) {
  std::string_view stem;
  for (const char* suffix : kSdistSuffixes) {
    if (filename.ends_with(suffix)) {
      stem = filename.substr(0, filename.size() - std::string_view(suffix).size());
      break;
    }
  }
  if (stem.empty()) {
    throw_input("'" + std::string(filename) +
                "' is not an sdist: expected name-version.tar.gz (or .zip, .tar.bz2, .tar.xz)");
  }
  // The leftmost dash whose tail is a whole version splits name from version:
  // names keep their dashes ("oslo-config-9.0.0", "foo-2fa-1.0") and legacy
  // implicit post releases stay in the version ("foo-1.0-1" is 1.0.post1).
  for (std::size_t dash = stem.find('-'); dash != std::string_view::npos;
       dash = stem.find('-', dash + 1)) {
    auto version = Version::parse(stem.substr(dash + 1));
    std::string name(stem.substr(0, dash));
    if (version && is_valid_name(name)) {
      return SdistName{std::string(filename), name, normalize_name(name), *version};
    }
  }
  throw_input("'" + std::string(filename) +
              "' is not named name-version with a PEP 440 version; rename the sdist");
}

}  // namespace cleanroom::python
