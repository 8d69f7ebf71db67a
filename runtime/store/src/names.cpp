#include "cleanroom/store/names.h"

#include <fmt/format.h>

#include <algorithm>

#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/printable.h"

namespace cleanroom::store {

bool is_snapshot_id(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void validate_name(const std::string& name) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (name.empty()) throw_input("a snapshot name must not be empty");
  if (name.size() > 128)
    throw_input(fmt::format("snapshot name '{}...' is longer than 128 characters",
                            name.substr(0, 20)));
  if (!alnum(name[0]))
    throw_input(fmt::format("snapshot name '{}' must start with a letter or digit", name));
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '+' && c != '-')
      throw_input(fmt::format(
          "snapshot name '{}' may hold only letters, digits and '._+-'", name));
}

void validate_suite_name(const std::string& suite, const std::string& source) {
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
  bool ok = !suite.empty() && suite.size() <= 64 && suite[0] >= 'a' && suite[0] <= 'z' &&
            std::all_of(suite.begin(), suite.end(), allowed);
  if (!ok)
    throw_input(fmt::format("{}: suite '{}' is not a Debian codename (lowercase letters, digits "
                            "and '-', starting with a letter, at most 64); import with "
                            "--suite NAME",
                            source, printable(suite.substr(0, 80))));
}

std::string match_snapshot(const std::string& name_or_id,
                           const std::map<std::string, std::string>& aliases,
                           const std::vector<std::string>& ids) {
  if (auto it = aliases.find(name_or_id); it != aliases.end()) return it->second;
  if (name_or_id.size() < kMinIdPrefix) return "";
  std::vector<std::string> hits;
  for (const auto& id : ids)
    if (id.compare(0, name_or_id.size(), name_or_id) == 0) hits.push_back(id);
  if (hits.size() > 1) {
    std::string list = join(hits, ", ", [](const std::string& h) { return h.substr(0, 16); });
    throw_input(fmt::format("id prefix '{}' matches {} snapshots ({}); give more digits",
                            name_or_id, hits.size(), list));
  }
  return hits.empty() ? "" : hits.front();
}

}  // namespace cleanroom::store
