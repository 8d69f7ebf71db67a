#include "cleanroom/pipeline/build_job.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/path.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/pipeline/runnable_snapshot.h"
#include "cleanroom/pipeline/staged_output.h"

namespace cleanroom::build {

namespace {

constexpr const char* kLogDirInside = "/cleanroom/log";
constexpr const char* kLogInside = "/cleanroom/log/build.log";

}  // namespace

int build_exit_code(const BuildResult& result) {
  if (result.ok) return 0;
  if (result.error_kind == ErrorKind::Interrupted && stop_request() != 0)
    return 128 + stop_request();
  return result.error_kind == ErrorKind::Environment ? 3 : 1;
}

std::string build_result_to_json(const BuildResult& r) {
  nlohmann::json j = {{"format_version", kBuildReportFormatVersion},
                      {"ok", r.ok},
                      {"source", r.source},
                      {"version", r.version},
                      {"arch", r.arch},
                      {"steps", nlohmann::json::parse(steps_to_json(r.steps))},
                      {"artifacts", r.artifacts},
                      {"log", r.log_path},
                      {"failed_step", r.failed_step},
                      {"error", r.error},
                      {"layer_reused", r.layer_reused}};
  if (!r.kept_build_dir.empty()) j["build_dir"] = r.kept_build_dir;
  if (!r.snapshot_id.empty()) j["snapshot"] = {{"name", r.snapshot_name}, {"id", r.snapshot_id}};
  // Each artifact's digest and size, as verify reports them, so a caller can
  // check what it received without reading the files again.
  nlohmann::json files = nlohmann::json::array();
  for (const auto& path : r.artifacts) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    files.push_back({{"path", path}, {"sha256", sha256_file(path)},
                     {"size", static_cast<std::uint64_t>(st.st_size)}});
  }
  j["files"] = files;
  return j.dump(2);
}

BuildJob::BuildJob(const JobOptions& o, store::Store s, const std::string& name)
    : options(o), store(std::move(s)), snapshot_asked(name),
      snapshot(use_runnable_snapshot(store, name)),
      ids(store.id_map()), work(store) {
  log_dir = work.path() + "/log";
  staging_dir = work.path() + "/staging";
  make_dirs(log_dir);
  make_dirs(staging_dir);
  log_path = log_dir + "/build.log";
  own(work.path());
  own(log_dir);
  write_file_atomic(log_path, "");
  own(log_path);
}

void BuildJob::log(const std::string& line) const {
  UniqueFd fd = open_fd(log_path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0644);
  write_all(fd.get(), line + "\n", log_path);
}

void BuildJob::own(const std::string& path) const { hand_to_sandbox_root(ids, path); }

void BuildJob::own_tree(const std::string& path) const { hand_tree_to_sandbox_root(ids, path); }

std::string BuildJob::sandbox_dir(const std::string& name) const {
  std::string dir = work.path() + "/" + name;
  make_dirs(dir);
  own(dir);
  return dir;
}

void BuildJob::stage_copy(const std::string& from, const std::string& to) const {
  auto r = run_process({.argv = {"cp", "-a", "--no-preserve=ownership", "--", from, to}});
  if (r.status != 0) throw_failure(fmt::format("copying '{}' into the work directory failed", from));
  own_tree(to);
}

void BuildJob::set_out_dir(const std::string& dir) {
  prepare_output_dir(dir);
  out_dir = dir;
}

bool BuildJob::build_root_has(const std::string& relative) const {
  return (!layer.upper_dir.empty() && path_exists(layer.upper_dir + "/" + relative)) ||
         path_exists(snapshot.root_dir + "/" + relative);
}

SandboxStep BuildJob::step() const {
  SandboxStep s;
  s.lower_dirs = {snapshot.root_dir};
  if (!layer.upper_dir.empty()) s.lower_dirs.insert(s.lower_dirs.begin(), layer.upper_dir);
  s.arch = snapshot.arch;
  s.binds = {{log_dir, kLogDirInside, false}};
  s.log_inside = kLogInside;
  s.quiet = options.quiet;
  s.timeout_seconds = options.timeout_seconds;
  if (!options.variation.hostname.empty()) s.hostname = options.variation.hostname;
  s.domainname = options.variation.domainname;
  return s;
}

void BuildJob::prepare(StepRunner& steps, PrepareRequest request, const std::string& what) {
  request.log_host = log_path;
  request.offline = options.offline;
  request.quiet = options.quiet;
  PrepareResult result = prepare_layer(store, snapshot, request);
  layer = result.layer;
  layer_reused = result.reused;
  std::string how = result.reused ? "reused cached" : "built";
  steps.note(fmt::format("{} layer {}", how, result.layer.key.substr(0, 12)));
  log(fmt::format("cleanroom: prepare: {} layer {}{}", how, result.layer.key,
                  what.empty() ? "" : " (" + what + ")"));
  if (options.after_prepare) options.after_prepare();
}

void BuildJob::publish(const std::vector<std::string>& files, BuildResult& result) const {
  result.snapshot_name = snapshot_asked;
  result.snapshot_id = snapshot.id;
  std::vector<AtomicFile> staged;
  for (const auto& f : files) staged.push_back(stage_output(f, out_dir + "/" + file_name(f)));
  for (auto& file : staged) {
    file.commit();
    result.artifacts.push_back(file.target());
  }
}

std::string BuildJob::keep_work_dir(const std::string& name) const {
  std::string kept_root = store.path() + "/kept-builds";
  make_dirs(kept_root);
  std::string dest = kept_root + "/" + name + "-" + file_name(work.path());
  if (::rename(work.path().c_str(), dest.c_str()) != 0)
    throw_errno(fmt::format("keep build directory '{}'", work.path()));
  return dest;
}

BuildResult BuildJob::run(BuildResult result, const std::function<std::string()>& log_name,
                          const std::string& keep_name,
                          const std::function<void(StepRunner&, BuildResult&)>& run_steps) {
  StepRunner steps;
  try {
    run_steps(steps, result);
    result.ok = true;
  } catch (const Error& e) {
    result.error = e.what();
    result.error_kind = e.kind();
    result.failed_step = steps.failed() ? steps.failed()->name : "";
    log(fmt::format("cleanroom: step {} failed: {}", result.failed_step, e.what()));
  }
  result.layer_reused = layer_reused;
  result.steps = steps.records();
  // Both names come from the package (a .dsc's Source and Version): one that
  // is not a plain file name must not place a file outside --out or the store.
  std::string log_file = log_name();
  if (!is_plain_file_name(log_file)) log_file = "cleanroom.build";
  std::string log_target = out_dir + "/" + log_file;
  stage_output(log_path, log_target).commit();
  result.log_path = log_target;
  if (options.keep_build_dir)
    result.kept_build_dir = keep_work_dir(is_plain_file_name(keep_name) ? keep_name : "build");
  return result;
}

}  // namespace cleanroom::build
