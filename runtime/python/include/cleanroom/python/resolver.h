// Dependency resolution for a wheelhouse or a venv: from top-level
// requirements, constraints and the distributions at hand, the closure of what
// must be installed, choosing for each name the highest version that every
// requirement and constraint accepts. There is deliberately no backtracking:
// a release's constraints pin nearly everything, and when they do not agree
// the operator must hear who asked for what, not get a silent older version.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cleanroom/python/distribution.h"
#include "cleanroom/python/marker.h"
#include "cleanroom/python/requirement.h"
#include "cleanroom/python/wheel_tags.h"

namespace cleanroom::python {

struct ResolveInput {
  std::vector<Requirement> requirements;  // top level (markers evaluated here)
  std::vector<Requirement> constraints;   // only narrow what is required
  std::vector<Distribution> available;
  MarkerEnvironment environment;  // the target interpreter
  WheelTarget target;
};

struct PlanEntry {
  enum class Action { UseWheel, BuildSdist };
  Action action = Action::UseWheel;
  std::string key;
  std::string name;
  Version version;
  std::string filename;
  std::set<std::string> extras;          // requested extras, normalized
  std::vector<std::string> required_by;  // "recipe.toml:3", "greet-svc 1.0", sorted
  bool dependencies_known = true;        // false: an sdist whose metadata is unknown
};

struct Plan {
  std::vector<PlanEntry> entries;  // sorted by key

  // False while some chosen sdist's dependencies are unknown: build those
  // sdists into wheels, add the wheels, and resolve again.
  bool complete() const;
  std::vector<const PlanEntry*> wheels() const;
  std::vector<const PlanEntry*> sdists() const;
  const PlanEntry* find(const std::string& key) const;
};

// Throws one Input error listing every conflict and every missing distribution.
Plan resolve(const ResolveInput& input);

// One line per entry for the build log: "six 1.16.0: use six-1.16.0-py2.py3-none-any.whl
// (required by hello-cli 0.2)" or "...: build hello-cli-0.4.tar.gz (...)".
std::vector<std::string> describe_plan(const Plan& plan);

}  // namespace cleanroom::python
