// A PEP 503 "simple" repository over a wheelhouse: simple/index.html lists the
// projects, simple/<project>/index.html links each wheel with its sha256
// fragment. pip reads it with --index-url file:///.../simple, or a project
// page with --find-links; the wheels themselves stay where they are.
#pragma once

#include <map>
#include <string>

#include "cleanroom/python/wheelhouse_lock.h"

namespace cleanroom::python {

// Relative path ("simple/index.html", "simple/six/index.html") -> page text.
// Pure and deterministic; links point at "../../<file>", i.e. the wheelhouse root.
std::map<std::string, std::string> simple_index_pages(const WheelhouseLock& lock);

// Writes the pages under `root` (the wheelhouse directory), each atomically.
void write_simple_index(const std::string& root, const WheelhouseLock& lock);

}  // namespace cleanroom::python
