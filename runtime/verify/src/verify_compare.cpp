#include "verify_compare.h"

#include <algorithm>
#include <map>

#include "cleanroom/base/sha256.h"

namespace cleanroom::build {

bool is_binary_package(const std::string& path) {
  return path.ends_with(".deb") || path.ends_with(".udeb") || path.ends_with(".ddeb");
}

std::vector<ArtifactComparison> compare_packages(const std::vector<std::string>& first,
                                                 const std::vector<std::string>& varied,
                                                 const repro::DiffOptions& options) {
  std::map<std::string, std::pair<std::string, std::string>> by_name;
  for (const auto& p : first)
    if (is_binary_package(p)) by_name[file_name(p)].first = p;
  for (const auto& p : varied)
    if (is_binary_package(p)) by_name[file_name(p)].second = p;
  std::vector<ArtifactComparison> out;
  for (const auto& [name, paths] : by_name) {
    ArtifactComparison c;
    c.name = name;
    if (!paths.first.empty()) c.sha256_first = sha256_file(paths.first);
    if (!paths.second.empty()) c.sha256_varied = sha256_file(paths.second);
    if (paths.first.empty() || paths.second.empty()) {
      repro::Difference d;
      d.kind = paths.first.empty() ? repro::DifferenceKind::OnlyInB : repro::DifferenceKind::OnlyInA;
      d.path = name;
      d.a = paths.first.empty() ? "" : "built";
      d.b = paths.second.empty() ? "" : "built";
      c.diff.differences.push_back(d);
      c.diff.total = 1;
    } else if (c.sha256_first == c.sha256_varied) {
      c.identical = true;
    } else {
      c.diff = repro::diff_paths(paths.first, paths.second, options);
      if (c.diff.identical()) {
        // Equal content by every parser but unequal bytes: still a difference.
        repro::Difference d;
        d.kind = repro::DifferenceKind::Content;
        d.field = "binary";
        d.detail = "the files' bytes differ";
        c.diff.differences.push_back(d);
        c.diff.total = 1;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> records_of(const std::vector<std::string>& artifacts) {
  std::vector<std::string> out;
  for (const auto& p : artifacts)
    if (!is_binary_package(p)) out.push_back(file_name(p));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> differing_names(const std::vector<ArtifactComparison>& list) {
  std::vector<std::string> out;
  for (const auto& a : list)
    if (!a.identical) out.push_back(a.name);
  return out;
}

}  // namespace cleanroom::build
