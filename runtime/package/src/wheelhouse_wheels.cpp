#include "wheelhouse_wheels.h"

#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/formats/zip.h"

namespace cleanroom::build {

namespace {
// The top-level "<name>-<version>.dist-info/" of the wheel, located by its
// METADATA, since the directory's spelling varies between build tools.
std::string dist_info_prefix(const std::vector<formats::ZipEntry>& entries,
                             const std::string& wheel) {
  std::string found;
  for (const auto& e : entries) {
    auto slash = e.name.find('/');
    if (slash == std::string::npos || e.name.substr(slash) != "/METADATA") continue;
    std::string dir = e.name.substr(0, slash);
    if (dir.size() < 10 || dir.compare(dir.size() - 10, 10, ".dist-info") != 0) continue;
    if (!found.empty())
      throw_input(fmt::format("wheel '{}' has two .dist-info directories", wheel));
    found = dir + "/";
  }
  if (found.empty()) throw_input(fmt::format("wheel '{}' has no .dist-info/METADATA", wheel));
  return found;
}
}  // namespace

WheelFacts read_wheel_facts(const std::string& path) {
  std::string file = file_name(path);
  return with_context(fmt::format("wheel '{}'", file), [&] {
    WheelFacts facts;
    facts.name = python::WheelName::parse(file);
    formats::ZipArchive zip = formats::read_zip_file(path);
    std::string prefix = dist_info_prefix(zip.entries, file);
    for (const auto& e : zip.entries) {
      if (e.is_directory()) continue;
      facts.members.push_back(e.name);
      if (e.name == prefix + "METADATA") {
        facts.metadata = python::parse_core_metadata(e.data, file + ": METADATA");
        facts.license = python::license_from_metadata(e.data);
      } else if (e.name == prefix + "entry_points.txt") {
        facts.entry_points = e.data;
      }
    }
    return facts;
  });
}

python::Distribution wheel_distribution(const WheelFacts& facts) {
  auto listing = python::distributions_from_filenames({facts.name.filename});
  if (listing.distributions.size() != 1)
    throw_input(fmt::format("'{}' is not a wheel file name", facts.name.filename));
  python::Distribution d = listing.distributions.front();
  d.set_metadata(facts.metadata);
  return d;
}

}  // namespace cleanroom::build
