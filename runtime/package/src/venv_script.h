// The sandbox side of a venv build, as text and data the log shows and tests
// read: compilers removed from the step's throw-away root (an sdist cannot
// slip in and compile; only wheels install), the venv created at its final
// path without pip, the snapshot's pip installing into it offline with hashes
// required, bytecode compiled as checked-hash .pyc, and the facts the .deb's
// Depends need (the interpreter's version, the shared libraries and the Debian
// packages that provide them) written to an output directory.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/python/import_check.h"

namespace cleanroom::build {

struct VenvScript {
  std::string python = "/usr/bin/python3";
  std::string venv_path;     // the final install path, e.g. /opt/venvs/greet-svc
  std::string wheelhouse;    // read-only mount of the wheels
  std::string requirements;  // pinned, hashed requirements file
  std::string out_dir;       // facts for the host: python-version, shlibs
  bool compile_bytecode = true;
  bool include_pip = false;
  // Before stripping, each module's debug info goes to
  // <out_dir>/debug/usr/lib/debug/.build-id/xx/yyyy.debug, linked back by
  // .gnu_debuglink, and its build ID to <out_dir>/build-ids.
  bool debug_symbols = false;
};

// Removes every C/C++ compiler driver and the compilers proper, then fails if
// one is still found.
std::string remove_compilers_script();
std::string venv_build_script(const VenvScript& v);

// The test step: the .deb installed with dpkg over a fresh snapshot without
// compilers, then `import_check` (a script from import_check_script, or ""),
// then each of the recipe's [test] commands by /bin/sh -c, echoed first.
std::string smoke_test_script(const std::string& deb, const std::vector<std::string>& commands,
                              const std::string& import_check = "");

// Imports each target with the venv's interpreter, isolated (-I: no PYTHON*
// variables, no user site, not the working directory), showing each
// failure's traceback; writes one line per failure to `report`:
// "distribution\tmodule\tmissing module or empty\texception", and fails
// when there is one.
std::string import_check_script(const std::string& venv_python,
                                const std::vector<python::ImportTarget>& targets,
                                const std::string& report);

// The "shlibs" file the script writes: "<library>\t<package>[, <package>]" per
// line, package empty when dpkg knows no owner. Returns the package names
// (architecture qualifier dropped), sorted; libraries without an owner go to
// `unowned`.
std::set<std::string> shlib_packages(std::string_view shlibs, std::vector<std::string>& unowned);

// "python3 (>= 3.11), python3 (<< 3.12)": the venv's interpreter symlinks and
// compiled modules hold only within one minor version.
std::string python_depends(unsigned major, unsigned minor);

// Files of a venv (path relative to it, content) that name a path the build
// used but the installed package will not have. Checks RECORD files,
// direct_url.json, pyvenv.cfg and the activate scripts.
bool is_leak_checked_file(const std::string& relative_path);
std::vector<std::string> build_path_leaks(const std::string& relative_path,
                                          std::string_view content,
                                          const std::vector<std::string>& build_paths);

}  // namespace cleanroom::build
