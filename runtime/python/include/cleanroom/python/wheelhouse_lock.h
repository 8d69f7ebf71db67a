// wheelhouse.lock: the exact content of a wheelhouse (name, version, file,
// sha256 of every wheel), written next to the wheels. Venv builds install with
// pip --require-hashes from it, and `audit` checks a shipped wheelhouse
// against it. JSON with a format version; readers reject newer formats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/distribution.h"

namespace cleanroom::python {

inline constexpr int kLockFormat = 1;
inline constexpr const char* kLockFileName = "wheelhouse.lock";

struct LockEntry {
  std::string name;  // normalized distribution name
  std::string version;
  std::string filename;
  std::string sha256;
  bool operator==(const LockEntry&) const = default;
};

struct WheelhouseLock {
  std::vector<LockEntry> entries;  // sorted by name, then filename

  const LockEntry* find(const std::string& name) const;
};

// The wheelhouse's identity for caches and .buildinfo: a canonical hash of
// the entries (not of the file's bytes, so formatting never matters).
std::string lock_hash(const WheelhouseLock& lock);

// Sorted, stable text: the same lock always gives the same bytes.
std::string render_lock(const WheelhouseLock& lock);
// `where` names the text in messages. Every problem at once (Input error).
WheelhouseLock parse_lock(std::string_view text, const std::string& where);

void write_lock(const std::string& path, const WheelhouseLock& lock);  // atomic
WheelhouseLock read_lock(const std::string& path);

// The locked wheels as resolver input, each with its sha256 (so --hash
// options are checked); add METADATA with Distribution::set_metadata.
std::vector<Distribution> lock_distributions(const WheelhouseLock& lock);

// Hashes every wheel in `dir` into a lock.
WheelhouseLock lock_directory(const std::string& dir);
// Problems of `dir` against `lock`: missing wheels, different hashes, wheels
// the lock does not list. Empty when they agree.
std::vector<std::string> check_directory_against_lock(const std::string& dir,
                                                      const WheelhouseLock& lock);

}  // namespace cleanroom::python
