#include "archive_fetch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/pipeline/sandbox_step.h"
#include "cleanroom/store/work_dir.h"

namespace cleanroom::build {

namespace {

constexpr const char* kOutInside = "/cleanroom/out";
constexpr const char* kCacheInside = "/cleanroom/cache";
constexpr const char* kLogInside = "/cleanroom/log/fetch.log";

// deb-src lines made from the snapshot's own deb lines (one-line and deb822
// forms), so sources come from the mirror the snapshot was made from.
constexpr const char* kDebSrc = R"(for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && sed -n 's/^deb \(.*\)$/deb-src \1/p' "$f"
done > /etc/apt/sources.list.d/cleanroom-deb-src.list
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && sed -i 's/^Types:.*$/Types: deb deb-src/' "$f"
done
)";

// Per request "SOURCE VERSION STEM": the source with apt-get source (which
// checks files already there and fetches the rest), then each binary the
// source's stanza names at the source's version or a binNMU of it, as
// madison lists it in a Packages index (not Sources). status says how it went.
constexpr const char* kFetchLoop = R"(while read -r src ver stem; do
  mkdir -p "/cleanroom/out/$stem"
  cd "/cleanroom/out/$stem"
  if [ -d "/cleanroom/cache/$stem" ]; then cp -- "/cleanroom/cache/$stem"/* . 2>/dev/null || true; fi
  stanza=$({ apt-cache showsrc "$src" 2>/dev/null || true; } | awk -v v="$ver" '
    BEGIN { RS = ""; FS = "\n" }
    { ok = 0; bin = ""; inbin = 0
      for (i = 1; i <= NF; i++) {
        if ($i == "Version: " v) ok = 1
        if ($i ~ /^Binary:/) { bin = substr($i, 8); inbin = 1 }
        else if (inbin && $i ~ /^ /) bin = bin $i
        else inbin = 0
      }
      if (ok) { gsub(/,/, " ", bin); print bin; exit } }')
  if [ -z "$stanza" ]; then
    echo "no-such-version" > status
    continue
  fi
  echo "+ apt-get source --download-only $src=$ver"
  if ! apt-get -q -o Acquire::Retries=3 source --download-only "$src=$ver" > source.log 2>&1; then
    cat source.log
    echo "unavailable" > status
    continue
  fi
  cat source.log
  for b in $stanza; do
    { apt-cache madison "$b" 2>/dev/null || true; } | awk -F'|' -v v="$ver" '
      $3 !~ /Sources *$/ { gsub(/ /, "", $2); if ($2 == v || index($2, v "+b") == 1) print $2 }' |
      sort -u | while read -r bv; do
        echo "+ apt-get download $b=$bv"
        apt-get -q -o Acquire::Retries=3 download "$b=$bv" || echo "$b=$bv" >> download-failed
      done
  done
  echo "ok" > status
done <<'CLEANROOM_EOF'
)";

std::string fetch_script(const std::vector<ArchiveRequest>& requests, bool single_id) {
  std::string s = "export DEBIAN_FRONTEND=noninteractive\n";
  if (single_id)  // no _apt to drop to, as in the prepare step
    s += "echo 'APT::Sandbox::User \"root\";' > /etc/apt/apt.conf.d/00cleanroom-single-id\n";
  s += kDebSrc;
  s += "echo '+ apt-get update'\n";
  // An unreachable mirror is an error here, not a warning: nothing could be audited.
  s += "apt-get -q -o Acquire::Retries=3 --error-on=any update\n";
  s += kFetchLoop;
  // parse_archive_request allowed only Debian's characters in both.
  for (const auto& r : requests) s += r.source + " " + r.version + " " + archive_stem(r) + "\n";
  s += "CLEANROOM_EOF\n";
  return s;
}

// apt's complaint lines in a log, in order: errors ("E: ", "Err:"), and
// with warnings "W: " too.
std::vector<std::string> apt_complaints(const std::string& text, bool warnings) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("E: ") || line.starts_with("Err:") || (warnings && line.starts_with("W: ")))
      lines.push_back(line);
  return lines;
}

bool plain_file_name(const std::string& name) {
  return !name.empty() && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '~';
         });
}

// The downloads of one request, copied out of the sandbox's directory.
FetchedSource collect(const ArchiveRequest& r, const std::string& out_dir,
                      const std::string& downloads_dir) {
  FetchedSource f{r, "", {}, ""};
  std::string stem = archive_stem(r);
  std::string status = read_sandbox_file(out_dir, stem + "/status", 64);
  status.erase(status.find_last_not_of('\n') + 1);
  if (status == "no-such-version") {
    f.problem = fmt::format("source not available: the mirror's indexes have no {} {}", r.source,
                            r.version);
    return f;
  }
  if (status == "unavailable") {
    std::string why = join(
        apt_complaints(read_sandbox_file(out_dir, stem + "/source.log", kSandboxTextMax), false),
        "; ");
    f.problem = fmt::format("source not available: the mirror does not serve all of {} {}{}",
                            r.source, r.version, why.empty() ? "" : ": " + why);
    return f;
  }
  if (status != "ok") throw_failure(fmt::format("the fetch step left no result for {}", stem));
  std::string target = downloads_dir + "/" + stem;
  make_dirs(target);
  for (const auto& name : list_dir(out_dir + "/" + stem)) {
    if (name == "status" || name == "source.log" || name == "download-failed") continue;
    if (!plain_file_name(name)) continue;  // nothing apt names so
    copy_sandbox_file(out_dir, stem + "/" + name, target + "/" + name, kSandboxArchiveMax);
    if (name == stem + ".dsc") f.dsc = target + "/" + name;
    if (name.ends_with(".deb")) f.debs.push_back(target + "/" + name);
  }
  std::sort(f.debs.begin(), f.debs.end());
  if (f.dsc.empty())
    f.problem = fmt::format("source not available: apt fetched no {}.dsc", stem);
  else if (f.debs.empty())
    f.problem = fmt::format("the archive has no binary package of {} {} for this architecture",
                            r.source, r.version);
  return f;
}

}  // namespace

std::string archive_stem(const ArchiveRequest& r) {
  return r.source + "_" + r.version.substr(r.version.find(':') + 1);
}

std::vector<FetchedSource> fetch_from_archive(const store::Store& store,
                                              const store::SnapshotInfo& snapshot,
                                              const std::vector<ArchiveRequest>& requests,
                                              const std::string& downloads_dir,
                                              const std::string& log_dir, bool quiet) {
  store::WorkDir work(store);
  std::string out = work.path() + "/out", log = work.path() + "/log";
  for (const auto& d : {out, log}) make_dirs(d);
  store::IdMap ids = store.id_map();
  for (const auto& d : {work.path(), out, log}) hand_to_sandbox_root(ids, d);
  make_dirs(downloads_dir);

  SandboxStep step;
  step.lower_dirs = {snapshot.root_dir};
  step.arch = snapshot.arch;
  step.network = true;
  step.binds = {{log, "/cleanroom/log", false},
                {out, kOutInside, false},
                {downloads_dir, kCacheInside, true}};
  step.script = fetch_script(requests, ids.count == 1);
  step.log_inside = kLogInside;
  step.quiet = quiet;
  int rc = run_sandbox_step(ids, step);
  // The log outlives the work dir, as a build's does.
  if (path_exists(log + "/fetch.log"))
    copy_sandbox_file(log, "fetch.log", log_dir + "/fetch.log", kSandboxTextMax);
  if (rc != 0) {
    // The last thing apt complained of: why the step failed.
    auto said = path_exists(log_dir + "/fetch.log")
                    ? apt_complaints(read_file(log_dir + "/fetch.log"), true)
                    : std::vector<std::string>{};
    std::string why = said.empty() ? "" : said.back();
    throw_failure(fmt::format("fetching from the archive failed (exit {}){}; see {}/fetch.log", rc,
                              why.empty() ? "" : ": " + why, log_dir));
  }
  std::vector<FetchedSource> fetched;
  for (const auto& r : requests) fetched.push_back(collect(r, out, downloads_dir));
  return fetched;
}

}  // namespace cleanroom::build
