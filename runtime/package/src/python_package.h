// The .deb of a recipe: a control file written from the recipe (plus the
// fields the pipeline computed, like a venv's Depends) and a tree packed with
// formats::build_deb, deterministically, under Debian's file name.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "build_outputs.h"
#include "python_context.h"

namespace cleanroom::build {

// Installed-Size as dpkg-gencontrol counts it: each file's size rounded up to
// KiB, one KiB per directory and symlink. Never follows symlinks.
std::uint64_t installed_size_kib(const std::string& root);

// deb822 control text; fields in the order given, empty values left out, a
// multi-line value continued with " " (a blank line as " .").
std::string control_paragraph(const std::vector<std::pair<std::string, std::string>>& fields);

struct RecipeDeb {
  std::string root;         // the data tree
  std::string control_dir;  // holds at least "control"
  std::string description;
};

// Packs ctx's .deb into the staging dir.
// `extended` is the description's body, below the recipe's summary line.
CollectedPackage pack_recipe_deb(const RecipeContext& ctx, const std::string& root,
                                 const std::string& control_dir,
                                 const std::vector<std::pair<std::string, std::string>>& extra,
                                 const std::string& extended);

// The <name>-dbgsym package of the debug files in `root` (usr/lib/debug/
// .build-id/...), as dh_strip and dh_gencontrol make it.
CollectedPackage pack_dbgsym_deb(const RecipeContext& ctx, const std::string& root,
                                 const std::string& control_dir,
                                 const std::vector<std::string>& build_ids);

}  // namespace cleanroom::build
