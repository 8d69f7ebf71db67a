// How pip is run inside the sandbox: argument lists and environments, built
// here as plain data so they can be printed, logged and tested. Everything
// keeps pip offline and deterministic: no index, only the wheelhouse, hashes
// required for installs, no config file, no cache, no bytecode written with
// timestamps (the repro layer compiles .pyc as checked-hash when wanted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cleanroom/python/resolver.h"
#include "cleanroom/python/wheelhouse_lock.h"

namespace cleanroom::python {

// "name==version --hash=sha256:..." for every distribution of the plan, from
// the lock; sorted. Throws an Input error naming each distribution the lock
// lacks or that is still an sdist.
std::string pinned_requirements(const Plan& plan, const WheelhouseLock& lock);

// python -m venv <venv_path>: run at the final install path so shebangs and
// pyvenv.cfg need no rewriting. Without pip by default: ensurepip would put a
// pip into the package whose bytecode is compiled with timestamps, and the
// snapshot's pip can install into the venv (pip --python).
std::vector<std::string> venv_create_argv(const std::string& python, const std::string& venv_path,
                                          bool with_pip = false);

// <venv>/bin/python -m pip install, offline and hash-checked, from `wheelhouse`:
// the venv's own pip (a venv created with_pip, for pip older than 22.3).
std::vector<std::string> pip_install_argv(const std::string& venv_path,
                                          const std::string& wheelhouse,
                                          const std::string& pinned_requirements_file);

// The same install run by the snapshot's pip (`python`) into the venv with
// pip --python (pip 22.3 and later: bookworm on), for venvs made without pip.
std::vector<std::string> pip_install_into_argv(const std::string& python,
                                               const std::string& venv_path,
                                               const std::string& wheelhouse,
                                               const std::string& pinned_requirements_file);

// python -m pip wheel for one unpacked sdist (at a fixed path, so the build
// directory embedded in extensions is the same on every run).
std::vector<std::string> pip_wheel_argv(const std::string& python, const std::string& source_dir,
                                        const std::string& find_links, const std::string& out_dir,
                                        bool build_isolation);

// Variables for every pip run, "NAME=value", sorted; the caller adds them to
// the sandbox's cleared base environment.
std::vector<std::string> pip_environment(const std::string& find_links,
                                         std::int64_t source_date_epoch);

// pip_environment plus what compilers need for reproducible extensions:
// the build directory mapped away from debug info and __FILE__.
std::vector<std::string> wheel_build_environment(const std::string& find_links,
                                                 std::int64_t source_date_epoch,
                                                 const std::string& build_dir);

}  // namespace cleanroom::python
