#include "cleanroom/python/recipe_requirements.h"

#include "cleanroom/base/error.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/requirements_file.h"

namespace cleanroom::python {
namespace {

void append(std::vector<Requirement>& to, std::vector<Requirement>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

RecipeRequirements read_recipe_requirements(const Recipe& recipe) {
  bool venv = recipe.kind == RecipeKind::Venv;
  const RequirementsInput& input = venv ? recipe.venv.requirements : recipe.wheelhouse.requirements;
  const RecipePath& constraints = venv ? recipe.venv.constraints : recipe.wheelhouse.constraints;
  RecipeRequirements out;
  Diagnostics diag;
  // Both files are read even when the first has errors, so all are reported.
  try {
    if (input.file.empty()) {
      out.requirements = input.inline_requirements;
    } else {
      RequirementsFile f = read_requirements_file(input.file.resolved, recipe.dir);
      out.requirements = std::move(f.requirements);
      append(out.constraints, std::move(f.constraints));
    }
  } catch (const Error& e) {
    diag.add_lines(e.what());
  }
  try {
    if (!constraints.empty())
      append(out.constraints, read_constraints_file(constraints.resolved, recipe.dir).constraints);
  } catch (const Error& e) {
    diag.add_lines(e.what());
  }
  diag.throw_if_any();
  return out;
}

}  // namespace cleanroom::python
