// The files a recipe names (requirements and constraints with what they
// include, maintainer scripts, systemd units, its sources directory and
// wheelhouse) are as untrusted as the recipe: cleanroom, maybe as root, must
// never read or ship a host file for it. So each must lie beneath the
// recipe's directory, named by a relative path without "..", and is opened
// beneath that directory with no symbolic link followed (open_untrusted_file),
// O_NONBLOCK, as one regular file with one link (or a directory) under a cap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/python/recipe.h"

namespace cleanroom::python {

inline constexpr FileSource kRecipeFile{"named by the recipe", ErrorKind::Input};
// Text files a recipe names; far above any real requirements file or script.
inline constexpr std::uint64_t kRecipeTextMax = std::uint64_t{4} << 20;
inline constexpr std::uint64_t kRequirementsFileMax = kRecipeTextMax;
// How much of a path a recipe wrote a message quotes (escaped, base/excerpt.h).
inline constexpr std::size_t kPathExcerptMax = 200;

// Relative, not empty or ".", no ".." component, no control character: a path
// that names something beneath the directory it is taken from.
bool is_plain_relative_path(std::string_view path);

enum class RecipeFileKind { File, Directory };

// Why p is not a kind beneath r.dir, as "does not exist (...); create it..."
// and the like, or nullopt when it is. Missing only the fix's wording: the
// caller puts "FILE:LINE: key \"path\"" in front.
std::optional<std::string> recipe_path_problem(const Recipe& r, const RecipePath& p,
                                               RecipeFileKind kind);

// The text of a file the recipe names, read beneath its directory.
std::string read_recipe_file(const Recipe& r, const RecipePath& p);

}  // namespace cleanroom::python
