// The members of two containers (tar, zip, ar) and how they are paired. Members
// arrive one by one from each side, in any order; a pair whose type, fields and
// content are all equal is dropped at once, so only members that differ, or
// exist on one side, are kept until the comparison is reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "diff_engine.h"

namespace cleanroom::repro::detail {

// A content too large to hold, seen only as it streamed by.
struct Digested {
  std::uint64_t size = 0;
  std::string sha256;
  bool operator==(const Digested&) const = default;
};

struct Member {
  std::string name;
  std::string type;  // "file", "directory", "symlink", ...
  std::vector<std::pair<std::string, std::string>> fields;  // compared in this order
  bool has_content = false;
  std::string owned;                          // content read out of the container
  std::optional<std::string_view> borrowed;  // or content inside the input itself
  std::optional<Digested> digested;          // or, too large for either, its digest
  std::string_view content() const { return borrowed ? *borrowed : std::string_view(owned); }
};

class MemberMatcher {
 public:
  // side: 0 for A, 1 for B.
  void add(int side, Member member);
  // Members added to side so far.
  std::size_t seen(int side) const { return sides_[side].order.size(); }

  // Reports, in name order, what differs between the two sides: membership,
  // order, type, each field, then the contents, recursing into them. Call once,
  // after the last add.
  void report(Differ& differ, const std::string& path, int depth, bool deb, bool deb_control);

 private:
  struct Side {
    std::vector<std::string> order;       // every member's key, in archive order
    std::unordered_set<std::string> keys;
    std::map<std::string, Member> waiting;  // not yet seen on the other side
    std::map<std::string, Member> kept;     // differs from the other side's
  };
  Side sides_[2];
};

}  // namespace cleanroom::repro::detail
