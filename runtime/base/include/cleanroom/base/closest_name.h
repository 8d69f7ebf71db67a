// "Did you mean" for a mistyped name (a recipe key, a snapshot name): the
// known name fewest single-character edits away, when it is close enough to
// be the one meant.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom {

// Levenshtein distance: insertions, deletions and substitutions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The first of the nearest candidates at most max_distance edits from typed;
// "" when none is.
std::string closest_name(std::string_view typed, const std::vector<std::string>& candidates,
                         std::size_t max_distance = 2);

}  // namespace cleanroom
