// What a recipe asks pip for, gathered from wherever the recipe puts it:
// inline strings or a requirements file (with its -r and -c includes), plus
// the constraints file. This is the resolver's input.
#pragma once

#include <vector>

#include "cleanroom/python/recipe.h"
#include "cleanroom/python/requirement.h"

namespace cleanroom::python {

struct RecipeRequirements {
  std::vector<Requirement> requirements;
  std::vector<Requirement> constraints;  // the constraints file and -c includes
};

// Throws one Input error listing every problem in every file read.
RecipeRequirements read_recipe_requirements(const Recipe& recipe);

}  // namespace cleanroom::python
