// The local batch runner for a Plan. Each node runs as its own `cleanroom
// build` process (so one failing build cannot take the others' state with it);
// threads here only wait for those processes.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/release/plan.h"
#include "cleanroom/pipeline/staged_output.h"

namespace cleanroom::build {

namespace {

std::string stamp_dir(const Plan& plan) { return plan.out_dir + "/.cleanroom-batch"; }
std::string stamp_path(const Plan& plan, const PlanNode& n) {
  return stamp_dir(plan) + "/" + n.id + ".json";
}

// Reused only when the stamp's input hash matches and every output is still
// there with the bytes the stamp recorded.
bool stamp_matches(const Plan& plan, const PlanNode& n) {
  std::string path = stamp_path(plan, n);
  if (!path_exists(path)) return false;
  auto j = nlohmann::json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || j.value("format_version", 0) != kPlanVersion ||
      j.value("input_hash", "") != n.input_hash || !j.contains("outputs"))
    return false;
  for (const auto& name : n.outputs) {
    std::string file = plan.out_dir + "/" + name;
    if (!path_exists(file) || !j["outputs"].contains(name) ||
        j["outputs"][name].get<std::string>() != sha256_file(file))
      return false;
  }
  return true;
}

void write_stamp(const Plan& plan, const PlanNode& n) {
  nlohmann::json outputs = nlohmann::json::object();
  for (const auto& name : n.outputs) {
    std::string file = plan.out_dir + "/" + name;
    if (path_exists(file)) outputs[name] = sha256_file(file);
  }
  make_dirs(stamp_dir(plan));
  write_file_atomic(stamp_path(plan, n),
                    nlohmann::json{{"format_version", kPlanVersion}, {"id", n.id},
                                   {"input_hash", n.input_hash}, {"outputs", outputs}}
                        .dump(2));
}

// The node's portable command as this machine runs it: this cleanroom, this
// store, in the plan's root.
std::vector<std::string> local_argv(const PlanNode& n, const BatchOptions& options) {
  std::vector<std::string> argv = {options.cleanroom};
  if (!options.store_path.empty()) argv.insert(argv.end(), {"--store", options.store_path});
  argv.insert(argv.end(), n.command.begin() + 1, n.command.end());
  return argv;
}

int run_node(const Plan& plan, const PlanNode& n, const BatchOptions& options) {
  make_dirs(stamp_dir(plan));
  std::string log = stamp_dir(plan) + "/" + n.id + ".log";
  UniqueFd fd = open_fd(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ProcessSpec spec;
  spec.argv = local_argv(n, options);
  spec.cwd = plan.root;
  // A runner stopped by SIGTERM or killed stops its builds too (they then stop
  // their sandboxes and report the interruption); none builds on unwatched.
  spec.parent_death_signal = SIGTERM;
  if (options.quiet) {
    spec.stdout_fd = fd.get();
    spec.stderr_fd = fd.get();
  }
  return run_process(spec).status;
}

}  // namespace

const char* outcome_name(NodeOutcome o) {
  switch (o) {
    case NodeOutcome::Built: return "built";
    case NodeOutcome::Reused: return "reused";
    case NodeOutcome::Failed: return "FAILED";
    case NodeOutcome::Skipped: return "skipped";
  }
  return "?";
}

std::vector<NodeReport> run_plan(const Plan& plan, const BatchOptions& options) {
  prepare_output_dir(plan.out_dir);
  std::map<std::string, NodeReport> reports;
  std::set<std::string> pending;
  for (const auto& n : plan.nodes) {
    pending.insert(n.id);
    reports[n.id] = {n.id, NodeOutcome::Skipped, 0, ""};
  }
  std::mutex mu;
  std::condition_variable cv;
  unsigned running = 0;
  std::vector<std::thread> threads;
  auto outcome = [&](const std::string& id) { return reports[id].outcome; };

  std::unique_lock lock(mu);
  while (!pending.empty() || running > 0) {
    bool started = false;
    for (const auto& n : plan.nodes) {
      if (!pending.count(n.id) || running >= std::max(1u, options.jobs)) continue;
      bool blocked = false, failed_dep = false;
      for (const auto& d : n.depends_on) {
        if (pending.count(d) || reports[d].note == "running") blocked = true;
        else if (outcome(d) == NodeOutcome::Failed || outcome(d) == NodeOutcome::Skipped) failed_dep = true;
      }
      if (failed_dep) {
        pending.erase(n.id);
        reports[n.id].note = "a dependency failed";
        started = true;
        continue;
      }
      if (blocked) continue;
      pending.erase(n.id);
      // A dependency rebuilt means new inputs even if this stamp matches.
      bool deps_rebuilt = false;
      for (const auto& d : n.depends_on) deps_rebuilt |= outcome(d) == NodeOutcome::Built;
      if (!deps_rebuilt && stamp_matches(plan, n)) {
        reports[n.id].outcome = NodeOutcome::Reused;
        reports[n.id].note = "inputs " + n.input_hash.substr(0, 12) + " unchanged";
        started = true;
        continue;
      }
      ++running;
      reports[n.id].note = "running";
      started = true;
      threads.emplace_back([&, node = n] {
        auto t0 = std::chrono::steady_clock::now();
        int status = 1;
        try {
          status = run_node(plan, node, options);
          if (status == 0) write_stamp(plan, node);
        } catch (const std::exception& e) {
          log::error(fmt::format("{}: {}", node.id, e.what()));
        }
        std::lock_guard guard(mu);
        auto& r = reports[node.id];
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        r.outcome = status == 0 ? NodeOutcome::Built : NodeOutcome::Failed;
        r.note = status == 0 ? "" : fmt::format("exit {}; log {}/.cleanroom-batch/{}.log", status,
                                                plan.out_dir, node.id);
        --running;
        cv.notify_all();
      });
    }
    if (!started) cv.wait(lock);
  }
  lock.unlock();
  for (auto& t : threads) t.join();
  std::vector<NodeReport> out;
  for (const auto& n : plan.nodes) out.push_back(reports[n.id]);
  return out;
}

bool batch_succeeded(const std::vector<NodeReport>& reports) {
  for (const auto& r : reports)
    if (r.outcome == NodeOutcome::Failed || r.outcome == NodeOutcome::Skipped) return false;
  return true;
}

std::string format_batch_table(const std::vector<NodeReport>& reports) {
  std::string out = fmt::format("{:<28} {:<8} {:>9}  {}\n", "RECIPE", "RESULT", "SECONDS", "NOTE");
  std::map<NodeOutcome, int> counts;
  for (const auto& r : reports) {
    ++counts[r.outcome];
    out += fmt::format("{:<28} {:<8} {:>9.2f}  {}\n", r.id, outcome_name(r.outcome), r.seconds, r.note);
  }
  out += fmt::format("built {}, reused {}, failed {}, skipped {}\n", counts[NodeOutcome::Built],
                     counts[NodeOutcome::Reused], counts[NodeOutcome::Failed],
                     counts[NodeOutcome::Skipped]);
  return out;
}

std::string batch_to_json(const Plan& plan, const std::vector<NodeReport>& reports) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : reports) {
    std::vector<std::string> outputs;
    for (const auto& node : plan.nodes)
      if (node.id == r.id)
        for (const auto& name : node.outputs) outputs.push_back(plan.out_dir + "/" + name);
    std::string outcome = outcome_name(r.outcome);
    for (char& c : outcome) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    results.push_back({{"id", r.id},
                       {"outcome", outcome},
                       {"seconds", r.seconds},
                       {"note", r.note},
                       {"outputs", outputs}});
  }
  nlohmann::json j = {{"format_version", 1},
                      {"ok", batch_succeeded(reports)},
                      {"out_dir", plan.out_dir},
                      {"results", results}};
  return j.dump(2);
}

}  // namespace cleanroom::build
