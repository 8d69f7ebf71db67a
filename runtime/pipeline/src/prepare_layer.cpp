#include "cleanroom/pipeline/prepare_layer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <sstream>
#include <string_view>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/printable.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/store/work_dir.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

namespace {

constexpr const char* kLogInside = "/cleanroom/log/build.log";
constexpr const char* kOutInside = "/cleanroom/out";
constexpr const char* kExtraInside = "/cleanroom/extra";

// The pins come from a .buildinfo anyone may have written and go into a
// script: only the characters Debian allows in names, architectures and
// versions pass.
void check_exact_versions(const std::vector<std::pair<std::string, std::string>>& pins) {
  auto allowed = [](const std::string& text, std::string_view extra) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != extra.npos;
    });
  };
  for (const auto& [name, version] : pins)
    if (!allowed(name, "+-.:") || !allowed(version, "+-.:~ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
      throw_input(fmt::format("'{} (= {})' is not a Debian package name and version",
                              printable(name), printable(version)));
}

// Installs those of the recorded versions that the mirror has (one apt-cache
// query for all), allowing downgrades: a recorded build environment is older
// than the suite's current one as often as not.
std::string exact_versions_script(const std::vector<std::pair<std::string, std::string>>& pins) {
  std::string s = "echo '+ apt-get install (recorded versions)'\n";
  s += "cat > /tmp/cleanroom-pins <<'CLEANROOM_EOF'\n";
  for (const auto& [name, version] : pins) s += name + " " + version + "\n";
  s += "CLEANROOM_EOF\n";
  // madison prints " name | version | origin"; an unknown name prints nothing.
  s += "apt-cache madison $(cut -d' ' -f1 /tmp/cleanroom-pins | sed 's/:.*//' | sort -u) "
       "2>/dev/null | awk -F'|' '{gsub(/ /, \"\", $1); gsub(/ /, \"\", $2); print $1 \" \" $2}' "
       "| sort -u > /tmp/cleanroom-available || true\n";
  s += "awk 'NR == FNR { have[$1 \" \" $2] = 1; next } { n = $1; sub(/:.*/, \"\", n) } "
       "(n \" \" $2) in have { print $1 \"=\" $2 }' /tmp/cleanroom-available /tmp/cleanroom-pins "
       "> /tmp/cleanroom-install\n";
  s += "if [ -s /tmp/cleanroom-install ]; then\n"
       "  xargs -a /tmp/cleanroom-install apt-get -q -y --no-install-recommends "
       "--allow-downgrades install 2>&1 | tee -a " +
       std::string(kOutInside) + "/apt.log\nfi\n";
  return s;
}

std::string prepare_script(const PrepareRequest& request, bool single_id) {
  std::string s;
  s += "export DEBIAN_FRONTEND=noninteractive\n";
  // With one id there is no _apt to drop to (setgroups and seteuid fail); the
  // setting stays in the layer for every later apt run (test, extra packages).
  if (single_id)
    s += "echo 'APT::Sandbox::User \"root\";' > /etc/apt/apt.conf.d/00cleanroom-single-id\n";
  if (!request.extra_repositories.empty()) {
    s += "cat > /etc/apt/sources.list.d/cleanroom-extra.list <<'CLEANROOM_EOF'\n";
    for (const auto& line : request.extra_repositories) s += line + "\n";
    s += "CLEANROOM_EOF\n";
  }
  s += "echo '+ apt-get update'\n";
  s += "apt-get -q -o Acquire::Retries=3 update\n";
  if (!request.extra_packages.empty()) {
    s += "echo '+ apt-get install (extra packages)'\n";
    s += "apt-get -q -y --no-install-recommends install";
    for (const auto& p : request.extra_packages)
      s += " " + shell_quote(std::string(kExtraInside) + "/" + file_name(p));
    s += "\n";
  }
  s += "echo '+ apt-get satisfy'\n";
  s += "apt-get -q -y --no-install-recommends satisfy " + shell_quote(request.dependencies) +
       " 2>&1 | tee " + std::string(kOutInside) + "/apt.log\n";
  if (!request.exact_versions.empty()) s += exact_versions_script(request.exact_versions);
  s += fmt::format("dpkg-query -W -f '${{binary:Package}} (= ${{Version}})\\n' | LC_ALL=C sort > "
                   "{}/packages\n",
                   kOutInside);
  // Lists and archives would only make the layer big and time-dependent.
  s += "apt-get clean\nrm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin\n";
  s += "rm -f /etc/apt/sources.list.d/cleanroom-extra.list\n";
  return s;
}

// apt's lines that say what could not be installed, for a one-line error.
std::string unmet_summary(const std::string& apt_log) {
  std::istringstream in(apt_log);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("but it is not installable") != std::string::npos ||
        line.find("but it is not going to be installed") != std::string::npos ||
        line.find("Unable to locate package") != std::string::npos ||
        line.find("has no installation candidate") != std::string::npos ||
        line.find("Depends:") != std::string::npos) {
      auto start = line.find_first_not_of(' ');
      std::string trimmed = line.substr(start == std::string::npos ? 0 : start);
      if (trimmed.rfind("satisfy:command-line :", 0) == 0) trimmed = trimmed.substr(22);
      auto s2 = trimmed.find_first_not_of(' ');
      trimmed = trimmed.substr(s2 == std::string::npos ? 0 : s2);
      if (!out.empty()) out += "; ";
      out += trimmed;
    }
  }
  return out;
}

// The step's output directory is written by the step, which ran with network
// and root in the sandbox: read as sandbox_file.h reads.
std::vector<std::string> read_lines(const std::string& out, const std::string& name) {
  std::vector<std::string> lines;
  std::istringstream in(read_sandbox_file(out, name, kSandboxTextMax));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

std::string prepare_key(const store::SnapshotInfo& snapshot, const PrepareRequest& request) {
  HashKey key("cleanroom-layer/v1");
  key.add(snapshot.id).add(request.dependencies);
  key.add(static_cast<std::uint64_t>(request.extra_packages.size()));
  for (const auto& p : request.extra_packages) key.add(file_name(p)).add(sha256_file(p));
  key.add(static_cast<std::uint64_t>(request.extra_repositories.size()));
  for (const auto& r : request.extra_repositories) key.add(r);
  // Only when asked for, so that every other layer keeps its key.
  if (!request.exact_versions.empty()) {
    key.add("exact-versions").add(static_cast<std::uint64_t>(request.exact_versions.size()));
    for (const auto& [name, version] : request.exact_versions) key.add(name).add(version);
  }
  return key.hex();
}

PrepareResult prepare_layer(store::Store& store, const store::SnapshotInfo& snapshot,
                            const PrepareRequest& request) {
  check_exact_versions(request.exact_versions);
  store::LayerCache cache(store);
  std::string key = prepare_key(snapshot, request);
  if (auto found = cache.use(key)) return {*found, true};
  if (request.offline)
    throw_input(fmt::format("--offline: no cached layer for these build dependencies on "
                            "snapshot {} (layer {}); run once without --offline to prepare it",
                            snapshot.id.substr(0, 12), key.substr(0, 12)));

  store::WorkDir work(store);
  std::string upper = work.path() + "/upper", overlay_work = work.path() + "/work",
              out = work.path() + "/out", extra = work.path() + "/extra";
  for (const auto& d : {upper, overlay_work, out, extra}) make_dirs(d);
  store::IdMap ids = store.id_map();
  // The sandbox's root must own what it writes into: the store's inside-0 id.
  for (const auto& d : {work.path(), upper, overlay_work, out}) hand_to_sandbox_root(ids, d);

  SandboxStep step;
  step.lower_dirs = {snapshot.root_dir};
  step.arch = snapshot.arch;
  step.upper_dir = upper;
  step.work_dir = overlay_work;
  step.network = true;
  step.binds = {{parent_dir(request.log_host), "/cleanroom/log", false}, {out, kOutInside, false}};
  if (!request.extra_packages.empty()) {
    for (const auto& p : request.extra_packages) {
      std::string copy = extra + "/" + file_name(p);
      write_file_atomic(copy, read_file(p));
    }
    step.binds.push_back({extra, kExtraInside, true});
  }
  step.script = prepare_script(request, ids.count == 1);
  step.log_inside = kLogInside;
  step.quiet = request.quiet;
  int rc = run_sandbox_step(ids, step);
  if (rc != 0) {
    std::string apt_log =
        path_exists(out + "/apt.log") ? read_sandbox_file(out, "apt.log", kSandboxTextMax) : "";
    std::string unmet = unmet_summary(apt_log);
    if (!unmet.empty())
      throw_input(fmt::format("apt cannot satisfy the build dependencies: {}", unmet));
    throw_failure(fmt::format("installing build dependencies failed (exit {}); see the log", rc));
  }
  store::LayerInfo info;
  info.key = key;
  info.base_snapshot = snapshot.id;
  info.request = request.dependencies;
  info.packages = read_lines(out, "packages");
  return {cache.publish(info, upper), false};
}

}  // namespace cleanroom::build
