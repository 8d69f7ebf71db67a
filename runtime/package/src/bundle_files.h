// The files a venv or wheelhouse .deb carries about what it bundles (the
// copyright file, changelog, lintian overrides and SBOM of
// python/bundle_docs.h), gathered from the wheels and written into the tree
// before it is packed; and the lintian step that checks the result.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/pipeline/steps.h"
#include "cleanroom/python/bundle_docs.h"
#include "python_context.h"
#include "wheelhouse_wheels.h"

namespace cleanroom::build {

// The facts every bundle shares, from the recipe and the build.
python::BundleFacts bundle_facts(const RecipeContext& ctx, python::BundleKind kind,
                                 const std::string& install_path);

// A wheel as installed into a venv whose site-packages is `site_packages`
// (relative to the package root): the paths its top-level members land on.
python::BundledDistribution installed_distribution(const WheelFacts& wheel,
                                                   const std::string& sha256,
                                                   const std::string& site_packages);
// A wheel shipped as a file at `path` (relative to the package root).
python::BundledDistribution shipped_wheel(const WheelFacts& wheel, const std::string& sha256,
                                          const std::string& path);

// Writes /usr/share/doc/<pkg>/{copyright,changelog*.gz,sbom.cdx.json} and
// /usr/share/lintian/overrides/<pkg> beneath `root`, and the SBOM next to the
// .deb in the staging directory (returned). Unknown licenses warn, or fail
// the build under licenses = "strict".
std::string write_bundle_files(const RecipeContext& ctx, StepRunner& steps,
                               const python::BundleFacts& facts, const std::string& root);

// lintian over the staged .deb in the build root, when the root has it; its
// errors fail the build unless the recipe allows them.
void lintian_step(const RecipeContext& ctx, StepRunner& steps, const std::string& deb_name);

}  // namespace cleanroom::build
