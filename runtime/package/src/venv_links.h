// The symbolic links a venv package ships (a recipe's links, or its console
// scripts in /usr/bin), made in the package's staging root on the host.
#pragma once

#include <string>
#include <vector>

#include "cleanroom/python/recipe.h"

namespace cleanroom::build {

// Makes each link at root + link.link, pointing at link.target. Directories
// on the way are made or opened beneath root one at a time with no symbolic
// link followed, and the link is made with symlinkat in the last: a link made
// before (/usr/lib/x -> /etc), or one the venv's build left, is never a way
// into a host directory. Throws Error(Input) naming the link when something
// in the way is a link or not a directory.
void stage_links(const std::string& root, const std::vector<python::Link>& links);

}  // namespace cleanroom::build
