// verify for a recipe (a wheelhouse or venv .toml): the recipe is built twice,
// the second time with the variations applied to each of its sandbox steps (at
// once when slots > 1), and the packages are compared as for a Debian source.
#pragma once

#include "cleanroom/verify/variation.h"
#include "cleanroom/verify/verify.h"

namespace cleanroom::build {

VerifyResult verify_recipe(const VerifyOptions& options, const VariationHost& host,
                           unsigned slots);

}  // namespace cleanroom::build
