// Internal seam between parsing a recipe and checking the paths it names, so
// that load_recipe reports both kinds of problem in one list.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/recipe.h"

namespace cleanroom::python {

struct ParsedRecipe {
  explicit ParsedRecipe(const std::string& path) : file_shown(path) {
    auto abs = std::filesystem::absolute(path).lexically_normal();
    recipe.file = path;
    recipe.dir = abs.parent_path().string();
  }
  std::string file_shown;  // as the user named it: messages quote this
  Recipe recipe;
};

void parse_recipe_into(ParsedRecipe& out, std::string_view text, Diagnostics& diag);

}  // namespace cleanroom::python
