// pip's requirements-file format (requirements.txt, OpenStack's
// upper-constraints.txt): comments, "\" continuations, -r/-c includes relative
// to the including file, per-requirement --hash=sha256:... options. What would
// reach the network or the host (-e, --index-url, URLs, ${VAR}) is refused
// with the line that asks for it: a hermetic build installs only from the
// wheelhouse. Every problem in every included file is reported at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/requirement.h"

namespace cleanroom::python {

struct RequirementsFile {
  std::vector<Requirement> requirements;  // in file order, includes expanded
  std::vector<Requirement> constraints;   // from -c includes
  std::vector<std::string> files;         // every file read, top file first
};

// Reads `path` and everything it includes. With `beneath` (a recipe's
// directory), path and every include must lie beneath it and are read as a
// recipe's files are (recipe_files.h): no link followed, no FIFO, size capped.
RequirementsFile read_requirements_file(const std::string& path, const std::string& beneath = "");
// Everything in `path` (and what it includes with -r) counts as a constraint.
RequirementsFile read_constraints_file(const std::string& path, const std::string& beneath = "");
// Text named `path` in messages; includes resolve against its directory.
RequirementsFile parse_requirements_text(std::string_view text, const std::string& path);

}  // namespace cleanroom::python
