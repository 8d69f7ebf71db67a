// `cleanroom diff`: a structured, recursive comparison of two build outputs —
// .debs, ar archives, tars (plain or compressed), zips and wheels, gzip files,
// directories — down to the member, the metadata field, the control field, the
// text line or the byte. Containers inside containers are opened in turn, so a
// wheel inside a data.tar inside a .deb is compared file by file.
//
// Equal bytes are equal without any parsing. When a container's members all
// compare equal but its bytes do not (tar headers, compression), that is
// reported too: "identical" always means identical bytes.
//
// The inputs are untrusted and compress well: a 33 KB .tar.zst can hold a
// 1 GiB member. So one comparison decompresses at most max_decompressed bytes
// in all (past that it stops with Error (Environment), exit 3), and a member
// larger than max_member_memory is compared by its SHA-256 as it streams by,
// never held whole. Zips whose entries overlap or repeat a name are refused
// (HostileInput, exit 2) rather than compared as bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/repro/content_diff.h"

namespace cleanroom::repro {

// Version of the result's JSON rendering; bumped when fields change meaning.
constexpr int kDiffFormatVersion = 1;

constexpr std::uint64_t kDefaultMaxDecompressed = std::uint64_t{16} << 30;  // 16 GiB
constexpr std::uint64_t kDefaultMaxMemberMemory = std::uint64_t{64} << 20;  // 64 MiB

struct DiffOptions {
  std::size_t max_report = 0;  // differences listed at most (0: all); all are counted
  int max_depth = 8;           // nested containers opened at most
  TextDiffOptions text;
  std::size_t hexdump_context = 16;  // bytes shown on each side of the first difference
  // Read the two sides of a tar on two threads; the result is the same either way.
  bool concurrent = true;
  // Bytes the whole comparison may decompress (tar members, gzip, zip entries).
  std::uint64_t max_decompressed = kDefaultMaxDecompressed;
  // A tar member larger than this is compared by SHA-256, not held or opened.
  std::uint64_t max_member_memory = kDefaultMaxMemberMemory;
};

enum class DifferenceKind {
  OnlyInA,   // a member, entry or file exists in A only
  OnlyInB,
  Type,      // entry type or container format differs (field says which)
  Metadata,  // mode, owner, mtime, link target, member order, ... (field names it)
  Field,     // a control field of a .deb (field is its name)
  Content,   // bytes differ: detail holds a unified diff or hexdumps
};

struct Difference {
  // Where: "" for the inputs themselves; directory entries as relative paths;
  // members of containers after "::", e.g. "data.tar.xz::usr/bin/tool".
  std::string path;
  DifferenceKind kind = DifferenceKind::Content;
  std::string field;  // Metadata/Type/Field: what differs; Content: "text" or "binary"
  std::string a, b;   // that field's value on each side (Content: sizes)
  std::string detail;  // Content: unified diff, or "first difference at offset N" and hexdumps
};

struct DiffResult {
  std::vector<Difference> differences;  // in path order, at most max_report
  std::size_t total = 0;                // differences found, listed or not
  bool identical() const { return total == 0; }
  bool truncated() const { return differences.size() < total; }
};

// Compares two files or two directories. Throws Error (Input) for a missing or
// unreadable input; content it cannot parse is compared as bytes.
DiffResult diff_paths(const std::string& a, const std::string& b, const DiffOptions& options);

// Compares two contents; name is the file name, used to recognize control files.
DiffResult diff_bytes(std::string_view a, std::string_view b, const std::string& name,
                      const DiffOptions& options);

// "only-in-a", "only-in-b", "type", "metadata", "field", "content".
const char* to_string(DifferenceKind kind);

}  // namespace cleanroom::repro
