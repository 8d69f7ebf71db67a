#include "cleanroom/python/distribution.h"

#include <algorithm>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {

CoreMetadata parse_core_metadata(std::string_view text, const std::string& where) {
  CoreMetadata md;
  Diagnostics diag;
  // Headers end at the first empty line; the description body follows.
  std::vector<std::pair<long, std::string>> headers;
  ascii::for_each_line(text, [&](long number, std::string_view line) {
    if (line.empty()) return false;
    if ((line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
      headers.back().second += " " + std::string(ascii::trim(line));  // folded header
    } else {
      headers.emplace_back(number, std::string(line));
    }
    return true;
  });
  for (const auto& [line_number, header] : headers) {
    std::size_t colon = header.find(':');
    if (colon == std::string::npos) continue;
    std::string field = ascii::lower(header.substr(0, colon));
    std::string value(ascii::trim(std::string_view(header).substr(colon + 1)));
    try {
      if (field == "name") {
        md.name = value;
      } else if (field == "version") {
        md.version = value;
      } else if (field == "requires-dist") {
        md.requires_dist.push_back(Requirement::parse(value));
        md.requires_dist.back().origin = where + ":" + std::to_string(line_number);
      } else if (field == "requires-python") {
        md.requires_python = SpecifierSet::parse(value);
      } else if (field == "provides-extra") {
        md.provides_extra.push_back(normalize_name(value));
      }
    } catch (const Error& e) {
      diag.add(where + ":" + std::to_string(line_number), e.what());
    }
  }
  if (md.name.empty()) diag.add(where, "no Name header; this is not core metadata");
  diag.throw_if_any();
  return md;
}

void Distribution::set_metadata(const CoreMetadata& metadata) {
  auto version_in_metadata = Version::parse(metadata.version);
  if (normalize_name(metadata.name) != key || !version_in_metadata ||
      *version_in_metadata != version) {
    throw_input("'" + filename + "' holds metadata of " + metadata.name + " " + metadata.version +
                ", not of " + name + " " + version.str() + "; rebuild or rename the file");
  }
  requires_dist = metadata.requires_dist;
  requires_python = metadata.requires_python;
}

DistributionListing distributions_from_filenames(const std::vector<std::string>& filenames) {
  DistributionListing out;
  Diagnostics diag;
  for (const auto& f : filenames) {
    try {
      Distribution d;
      d.filename = f;
      if (f.ends_with(".whl")) {
        WheelName w = WheelName::parse(f);
        d.kind = Distribution::Kind::Wheel;
        d.name = w.name;
        d.key = w.key;
        d.version = w.version;
        d.wheel = std::move(w);
      } else if (SdistName::looks_like_sdist(f)) {
        SdistName s = SdistName::parse(f);
        d.kind = Distribution::Kind::Sdist;
        d.name = s.name;
        d.key = s.key;
        d.version = s.version;
      } else {
        out.ignored.push_back(f);
        continue;
      }
      out.distributions.push_back(std::move(d));
    } catch (const Error& e) {
      diag.add(e.what());
    }
  }
  diag.throw_if_any();
  std::sort(out.distributions.begin(), out.distributions.end(),
            [](const Distribution& a, const Distribution& b) {
              if (a.key != b.key) return a.key < b.key;
              if (a.version != b.version) return a.version < b.version;
              return a.filename < b.filename;
            });
  return out;
}

std::vector<std::string> list_directory(const std::string& dir) {
  std::vector<std::string> names = list_dir(dir);
  std::erase_if(names, [](const std::string& name) { return name[0] == '.'; });
  return names;
}

}  // namespace cleanroom::python
