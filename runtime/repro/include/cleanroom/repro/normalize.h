// Normalizing a build's output tree before it is packed (docs/reproducibility.md): files
// whose formats embed time or order are rewritten deterministically, bytecode
// that no longer matches its source is dropped, and every mtime is clamped to
// SOURCE_DATE_EPOCH. Symlinks are never followed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cleanroom::repro {

struct NormalizeOptions {
  std::int64_t source_date_epoch = 0;
  bool clamp_mtimes = true;
};

enum class NormalizeAction {
  Rewritten,  // content rewritten (detail says which normalizer)
  Removed,    // a stale .pyc: Python would not use it, so it is not shipped
  Skipped,    // looked like a known format but could not be parsed (detail: why)
};

struct NormalizeChange {
  std::string path;  // relative to the tree's root
  NormalizeAction action = NormalizeAction::Rewritten;
  std::string detail;
};

struct NormalizeReport {
  std::vector<NormalizeChange> changes;  // in path order
  std::uint64_t files = 0;               // regular files looked at
  std::uint64_t mtimes_clamped = 0;
};

// Normalizes dir in place, by file name: *.whl (wheel), *.zip, *.gz and *.tgz
// (gzip headers), *.pyc (checked-hash, from the source beside it or in the
// parent of __pycache__), *.a (ar, deterministic mode). A file is replaced
// atomically, keeping its mode, owner, mtime and hard links within the tree.
// Throws Error for I/O failures; unparsable files are reported as Skipped.
NormalizeReport normalize_tree(const std::string& dir, const NormalizeOptions& options);

// One word per action for reports: "rewritten", "removed", "skipped".
const char* to_string(NormalizeAction action);

}  // namespace cleanroom::repro
