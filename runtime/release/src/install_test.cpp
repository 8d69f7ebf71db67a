#include "cleanroom/release/install_test.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

namespace {

constexpr const char* kWatched = "/opt/venvs /usr/bin /usr/sbin /usr/local/bin /etc/systemd/system";

// apt as a log wants it: no questions and no progress meters. dpkg draws its
// "(Reading database ... 5%" meter only on a terminal, and apt gives it one (a
// pty) unless Dpkg::Use-Pty is off; Progress-Fancy is apt's own status bar.
constexpr const char* kApt = "apt-get -q -y -o Dpkg::Use-Pty=0 -o Dpkg::Progress-Fancy=0";

struct DebIdentity {
  std::string path, package, arch;
};

DebIdentity identify(const std::string& deb_path) {
  formats::Deb822Paragraph p = formats::DebReader(deb_path).control_fields();
  return {deb_path, p.required("Package"), p.required("Architecture")};
}

// Packages of another architecture (i386 on amd64) install in its snapshot,
// NAME-ARCH, as build --arch builds in it; "all" goes anywhere.
std::string snapshot_for_debs(const store::Store& store, const std::string& name,
                              const std::vector<DebIdentity>& debs) {
  std::string arch;
  for (const auto& d : debs) {
    if (d.arch == "all") continue;
    if (!arch.empty() && d.arch != arch)
      throw_input(fmt::format("test: '{}' is for {} but another package is for {}; test packages "
                              "of one architecture together",
                              d.path, d.arch, arch));
    arch = d.arch;
  }
  return snapshot_for_arch(store, name, arch);
}

std::string test_script(const InstallTestOptions& o, const std::vector<std::string>& names,
                        const std::vector<std::string>& packages) {
  std::string s = "export DEBIAN_FRONTEND=noninteractive\n";
  // find fails for watched directories that do not exist; pipefail would end the script.
  s += fmt::format("snap() {{ {{ find {} 2>/dev/null || true; }} | LC_ALL=C sort; }}\n", kWatched);
  s += "snap > /cleanroom/out/before\n";
  s += "phase() { echo \"$1\" >> /cleanroom/out/phases; }\n";
  // What the snapshot holds is not the test's: marked manual, so that the
  // autoremove after the purge takes exactly what the install pulled in.
  s += "apt-mark showauto | xargs -r apt-mark manual >/dev/null\n";
  if (!o.repositories.empty()) {
    s += "cat > /etc/apt/sources.list.d/cleanroom-test.list <<'CLEANROOM_EOF'\n";
    for (const auto& r : o.repositories) s += r + "\n";
    s += "CLEANROOM_EOF\n";
  }
  if (o.network || !o.repositories.empty()) s += fmt::format("{} update\n", kApt);
  s += fmt::format("{} --no-install-recommends install", kApt);
  for (const auto& n : names) s += " " + shell_quote("/cleanroom/debs/" + n);
  s += "\nphase install\n";
  for (std::size_t i = 0; i < o.commands.size(); ++i)
    s += fmt::format("if sh -c {0}; then phase 'run {1} ok'; else phase \"run {1} failed $?\"; "
                     "fi\n",
                     shell_quote(o.commands[i]), i);
  s += fmt::format("{} purge", kApt);
  for (const auto& p : packages) s += " " + shell_quote(p);
  // The packages' dependencies are not theirs to leave behind: apt marked them
  // auto when it installed them for the test, and they go with them.
  s += fmt::format("\n{} autoremove --purge\n", kApt);
  s += "phase purge\n";
  s += "snap > /cleanroom/out/after\n";
  return s;
}

// out is the step's output directory: what is in it the test's packages wrote
// (a postinst runs as root in there), so it is read as sandbox_file.h reads.
std::set<std::string> phases_seen(const std::string& out) {
  std::set<std::string> seen;
  if (!path_exists(out + "/phases")) return seen;
  std::istringstream in(read_sandbox_file(out, "phases", kSandboxTextMax));
  std::string line;
  while (std::getline(in, line)) seen.insert(line);
  return seen;
}

}  // namespace

std::vector<std::string> leftover_paths(const std::string& before, const std::string& after) {
  std::set<std::string> had;
  std::istringstream b(before);
  std::string line;
  while (std::getline(b, line)) had.insert(line);
  std::vector<std::string> left;
  std::istringstream a(after);
  while (std::getline(a, line))
    if (!line.empty() && !had.count(line)) left.push_back(line);
  return left;
}

InstallTestResult run_install_test(const InstallTestOptions& o) {
  if (o.debs.empty()) throw_input("test: give at least one .deb");
  InstallTestResult result;
  std::vector<std::string> names;
  std::vector<DebIdentity> identities;
  for (const auto& d : o.debs) {
    if (::access(d.c_str(), R_OK) != 0) throw_input(fmt::format("test: '{}' does not exist", d));
    identities.push_back(identify(d));
    result.packages.push_back(identities.back().package);
    names.push_back(file_name(d));
  }
  store::Store store(store::default_store_path(o.store_path));
  store::SnapshotInfo snapshot =
      use_runnable_snapshot(store, snapshot_for_debs(store, o.snapshot, identities));
  result.snapshot_name = snapshot.names.empty() ? snapshot.id.substr(0, 12) : snapshot.names.front();
  result.snapshot_id = snapshot.id;
  store::IdMap ids = store.id_map();

  // Staged copies: the sandbox's root may not enter the user's directories.
  TempDir work("cleanroom-test-");
  std::string debs = work.path() + "/debs", out = work.path() + "/out";
  make_dirs(debs);
  make_dirs(out);
  for (const auto& d : o.debs) write_file_atomic(debs + "/" + file_name(d), read_file(d));
  for (const auto& p : {work.path(), out}) hand_to_sandbox_root(ids, p);
  ::chmod(debs.c_str(), 0755);

  SandboxStep step;
  step.lower_dirs = {snapshot.root_dir};
  step.arch = snapshot.arch;
  step.network = o.network;
  step.binds = {{debs, "/cleanroom/debs", true}, {out, "/cleanroom/out", false}};
  step.script = test_script(o, names, result.packages);
  step.log_inside = "/cleanroom/out/log";
  step.quiet = o.quiet;
  int rc = run_sandbox_step(ids, step);

  auto seen = phases_seen(out);
  result.phases.push_back({"install", seen.count("install") > 0,
                           seen.count("install") ? "" : fmt::format("apt-get install failed (exit {})", rc)});
  for (std::size_t i = 0; i < o.commands.size(); ++i) {
    bool ok = seen.count(fmt::format("run {} ok", i)) > 0;
    std::string detail;
    for (const auto& line : seen)
      if (line.rfind(fmt::format("run {} failed", i), 0) == 0)
        detail = "exit " + line.substr(line.rfind(' ') + 1);
    if (!ok && detail.empty()) detail = "not run";
    result.phases.push_back({"run: " + o.commands[i], ok, detail});
  }
  bool purged = seen.count("purge") > 0;
  result.phases.push_back({"purge", purged, purged ? "" : "not reached or failed"});
  if (purged && path_exists(out + "/before") && path_exists(out + "/after")) {
    auto left = leftover_paths(read_sandbox_file(out, "before", kSandboxTextMax),
                               read_sandbox_file(out, "after", kSandboxTextMax));
    result.phases.push_back({"leftovers", left.empty(), join(left, " ")});
  }
  result.ok = rc == 0 && std::all_of(result.phases.begin(), result.phases.end(),
                                     [](const InstallTestPhase& p) { return p.ok; });
  return result;
}

std::string install_test_to_json(const InstallTestResult& r) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : r.phases)
    phases.push_back({{"name", p.name}, {"ok", p.ok}, {"detail", p.detail}});
  return nlohmann::json{{"format_version", 1}, {"ok", r.ok}, {"packages", r.packages},
                        {"snapshot", {{"name", r.snapshot_name}, {"id", r.snapshot_id}}},
                        {"phases", phases}}
      .dump(2);
}

}  // namespace cleanroom::build
