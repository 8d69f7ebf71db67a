// `cleanroom publish`: add build results to a staging apt repository with
// reprepro, creating the repository (conf/distributions) when it is new.
#pragma once

#include <string>
#include <vector>

namespace cleanroom::build {

struct PublishOptions {
  std::string repo;                  // repository base directory
  std::vector<std::string> changes;  // .changes files (or .debs) to add
  std::string codename = "bookworm-staging";
  std::string suite;                 // optional Suite: field
  std::string component = "main";
  std::string architectures;         // "" : the host's dpkg architecture
  std::string origin = "cleanroom";
};

struct PublishResult {
  bool created = false;                  // the repository was new
  std::vector<std::string> added;        // what was included
};

// Throws Error(Input) for options that are not plain names (check_publish_options)
// before anything is written, for missing files or a repository whose conf/distributions
// lacks the codename, Error(Environment) when reprepro is missing, and
// Error(Failure) when reprepro refuses a file (its message included).
PublishResult publish_to_repository(const PublishOptions& options);

// Throws Error(Input) naming the option and the fix unless codename, suite
// (when given), component and origin are names of letters, digits and
// ". + ~ _ -" and architectures a list of Debian architecture names.
void check_publish_options(const PublishOptions& options);
// The architecture names of a list separated by spaces or commas, joined by
// one space; throws Error(Input) for anything else.
std::string checked_architectures(const std::string& list);

// The conf/distributions paragraph for a new repository.
std::string distributions_stanza(const PublishOptions& options, const std::string& architectures);

}  // namespace cleanroom::build
