#include "cleanroom/release/publish.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/deb822.h"

namespace cleanroom::build {

namespace {

std::string host_architecture() {
  auto r = run_process({.argv = {"dpkg", "--print-architecture"}}, true);
  std::string arch = r.output.substr(0, r.output.find('\n'));
  return (r.status == 0 && !arch.empty()) ? arch : "amd64";
}

bool has_codename(const std::string& distributions_path, const std::string& codename) {
  auto file = formats::read_deb822_file(distributions_path);
  for (const auto& p : file.paragraphs)
    if (p.get("Codename").value_or("") == codename) return true;
  return false;
}

// Runs reprepro, capturing its stderr so a refusal becomes one clear error.
void reprepro(const std::vector<std::string>& args, const std::string& what) {
  TempDir tmp("cleanroom-reprepro-");
  std::string err_path = tmp.path() + "/stderr";
  UniqueFd err = open_fd(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ProcessSpec spec;
  spec.argv = {"reprepro"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.stderr_fd = err.get();
  spec.stdout_fd = err.get();
  auto r = run_process(spec);
  if (r.status != 0) {
    std::string message = read_file(err_path);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    for (auto& c : message)
      if (c == '\n') c = ' ';
    throw_failure(fmt::format("reprepro {}: {}", what, message));
  }
}

}  // namespace

std::string distributions_stanza(const PublishOptions& o, const std::string& architectures) {
  std::string s = fmt::format("Origin: {}\nLabel: {}\nCodename: {}\n", o.origin, o.origin,
                              o.codename);
  if (!o.suite.empty()) s += "Suite: " + o.suite + "\n";
  s += fmt::format("Architectures: {}\nComponents: {}\nDescription: {} staging repository\n",
                   architectures, o.component, o.origin);
  return s;
}

PublishResult publish_to_repository(const PublishOptions& o) {
  check_publish_options(o);
  if (o.changes.empty()) throw_input("publish: give at least one .changes or .deb file");
  for (const auto& f : o.changes) {
    if (::access(f.c_str(), R_OK) != 0)
      throw_input(fmt::format("publish: '{}' does not exist or is unreadable", f));
    if (!std::string_view(f).ends_with(".changes") && !std::string_view(f).ends_with(".deb"))
      throw_input(fmt::format("publish: '{}' is neither a .changes nor a .deb", f));
  }
  if (find_program("reprepro").empty())
    throw_environment("reprepro is not installed; install it with: apt-get install reprepro");

  struct stat st {};
  if (::stat(o.repo.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
    throw_input(fmt::format("publish: repository '{}' is not a directory; give the directory "
                            "of an apt repository (made when missing)",
                            o.repo));
  PublishResult result;
  std::string conf = o.repo + "/conf";
  std::string distributions = conf + "/distributions";
  if (!path_exists(distributions)) {
    // reprepro files Architecture: all packages under every listed architecture
    // and refuses "all" itself in the list.
    std::string arches =
        checked_architectures(o.architectures.empty() ? host_architecture() : o.architectures);
    make_dirs(conf);
    write_file_atomic(distributions, distributions_stanza(o, arches));
    result.created = true;
  } else if (!has_codename(distributions, o.codename)) {
    throw_input(fmt::format("'{}' has no distribution with Codename: {}; add a paragraph for "
                            "it or publish with --codename set to one it has",
                            distributions, o.codename));
  }
  for (const auto& f : o.changes) {
    // A staging codename (bookworm-2024.1) differs from the changelog's on purpose.
    if (std::string_view(f).ends_with(".changes"))
      reprepro({"-b", o.repo, "--ignore=wrongdistribution", "--ignore=unusedarch", "include",
                o.codename, f},
               fmt::format("include '{}'", f));
    else
      reprepro({"-b", o.repo, "-C", o.component, "includedeb", o.codename, f},
               fmt::format("includedeb '{}'", f));
    result.added.push_back(f);
    log::info(fmt::format("published {} to {} ({})", f, o.repo, o.codename));
  }
  return result;
}

}  // namespace cleanroom::build
