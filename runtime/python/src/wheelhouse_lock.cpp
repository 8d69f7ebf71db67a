#include "cleanroom/python/wheelhouse_lock.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/distribution.h"
#include "cleanroom/python/requirement.h"
#include "cleanroom/python/wheel_name.h"

namespace cleanroom::python {
namespace {

using json = nlohmann::ordered_json;

bool is_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void sort_entries(std::vector<LockEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const LockEntry& a, const LockEntry& b) {
    return a.name != b.name ? a.name < b.name : a.filename < b.filename;
  });
}

long line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<long>(
                 std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

void check_entry(const LockEntry& e, const std::string& where, Diagnostics& diag) {
  if (!is_valid_name(e.name) || normalize_name(e.name) != e.name) {
    diag.add(where, "name \"" + e.name + "\" is not a normalized distribution name");
  }
  if (!Version::parse(e.version))
    diag.add(where, "version \"" + e.version + "\" is not a PEP 440 version");
  if (!is_sha256(e.sha256))
    diag.add(where, "sha256 of \"" + e.filename + "\" is not 64 lowercase hex digits");
  if (e.filename.find('/') != std::string::npos || e.filename.empty()) {
    diag.add(where, "filename \"" + e.filename + "\" must be a plain file name");
    return;
  }
  try {
    WheelName w = WheelName::parse(e.filename);
    auto v = Version::parse(e.version);
    if (w.key != e.name || (v && w.version != *v)) {
      diag.add(where, "filename \"" + e.filename + "\" does not match " + e.name + " " + e.version);
    }
  } catch (const Error& err) {
    diag.add(where, err.what());
  }
}

}  // namespace

const LockEntry* WheelhouseLock::find(const std::string& name) const {
  for (const auto& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string lock_hash(const WheelhouseLock& lock) {
  std::vector<LockEntry> entries = lock.entries;
  sort_entries(entries);
  HashKey key("wheelhouse/v1");
  key.add(static_cast<std::uint64_t>(entries.size()));
  for (const auto& e : entries) key.add(e.name).add(e.version).add(e.filename).add(e.sha256);
  return key.hex();
}

std::string render_lock(const WheelhouseLock& lock) {
  std::vector<LockEntry> entries = lock.entries;
  sort_entries(entries);
  json doc;
  doc["format"] = kLockFormat;
  doc["kind"] = "cleanroom-wheelhouse-lock";
  doc["distributions"] = json::array();
  for (const auto& e : entries) {
    doc["distributions"].push_back(
        {{"name", e.name}, {"version", e.version}, {"filename", e.filename}, {"sha256", e.sha256}});
  }
  return doc.dump(2) + "\n";
}

WheelhouseLock parse_lock(std::string_view text, const std::string& where) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw_input(location(where, line_of_offset(text, e.byte)) + ": not valid JSON (" + e.what() +
                "); regenerate the lock with cleanroom");
  }
  Diagnostics diag;
  if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_number_integer()) {
    throw_input(where +
                ": not a wheelhouse lock (no integer \"format\"); regenerate it with cleanroom");
  }
  int format = doc["format"].get<int>();
  if (format > kLockFormat || format < 1) {
    throw_input(where + ": lock format " + std::to_string(format) +
                " is newer than this cleanroom reads (" + std::to_string(kLockFormat) +
                "); upgrade cleanroom");
  }
  if (!doc.contains("distributions") || !doc["distributions"].is_array()) {
    throw_input(where + ": no \"distributions\" array; regenerate the lock with cleanroom");
  }
  WheelhouseLock lock;
  std::set<std::string> filenames;
  std::size_t index = 0;
  for (const auto& item : doc["distributions"]) {
    std::string at = where + ": distributions[" + std::to_string(index++) + "]";
    LockEntry e;
    bool ok = item.is_object();
    for (auto [key, field] : {std::pair{"name", &e.name}, std::pair{"version", &e.version},
                              std::pair{"filename", &e.filename}, std::pair{"sha256", &e.sha256}}) {
      if (ok && item.contains(key) && item[key].is_string()) {
        *field = item[key].get<std::string>();
      } else {
        diag.add(at, std::string("needs a string \"") + key + "\"");
        ok = false;
      }
    }
    if (!ok) continue;
    check_entry(e, at, diag);
    if (!filenames.insert(e.filename).second)
      diag.add(at, "\"" + e.filename + "\" is listed twice");
    lock.entries.push_back(std::move(e));
  }
  diag.throw_if_any();
  sort_entries(lock.entries);
  return lock;
}

void write_lock(const std::string& path, const WheelhouseLock& lock) {
  write_file_atomic(path, render_lock(lock));
}

WheelhouseLock read_lock(const std::string& path) {
  if (!path_exists(path))
    throw_input("wheelhouse lock '" + path + "' does not exist; build the wheelhouse first");
  return parse_lock(read_file(path), path);
}

std::vector<Distribution> lock_distributions(const WheelhouseLock& lock) {
  std::vector<std::string> names;
  for (const auto& e : lock.entries) names.push_back(e.filename);
  auto listing = distributions_from_filenames(names);
  for (auto& d : listing.distributions) {
    for (const auto& e : lock.entries) {
      if (e.filename == d.filename) d.sha256 = e.sha256;
    }
  }
  return listing.distributions;
}

WheelhouseLock lock_directory(const std::string& dir) {
  WheelhouseLock lock;
  auto listing = distributions_from_filenames(list_directory(dir));
  for (const auto& d : listing.distributions) {
    if (d.kind != Distribution::Kind::Wheel) continue;
    lock.entries.push_back(
        {d.key, d.version.str(), d.filename, sha256_file(dir + "/" + d.filename)});
  }
  sort_entries(lock.entries);
  return lock;
}

std::vector<std::string> check_directory_against_lock(const std::string& dir,
                                                      const WheelhouseLock& lock) {
  std::vector<std::string> problems;
  auto names = list_directory(dir);
  std::set<std::string> present(names.begin(), names.end());
  std::set<std::string> locked;
  for (const auto& e : lock.entries) {
    locked.insert(e.filename);
    if (!present.count(e.filename)) {
      problems.push_back("'" + e.filename + "' is in the lock but missing from '" + dir + "'");
      continue;
    }
    std::string actual = sha256_file(dir + "/" + e.filename);
    if (actual != e.sha256) {
      problems.push_back("'" + e.filename + "' has sha256 " + actual + " but the lock says " +
                         e.sha256);
    }
  }
  for (const auto& name : names) {
    if (name.ends_with(".whl") && !locked.count(name)) {
      problems.push_back("'" + name + "' is in '" + dir + "' but not in the lock");
    }
  }
  return problems;
}

}  // namespace cleanroom::python
