#include "cleanroom/pipeline/steps.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/stop_request.h"

namespace cleanroom::build {

const char* status_name(StepStatus status) {
  switch (status) {
    case StepStatus::Ok: return "ok";
    case StepStatus::Skipped: return "skipped";
    case StepStatus::Failed: return "FAILED";
    case StepStatus::NotRun: return "not run";
  }
  return "?";
}

void StepRunner::run(const std::string& name, const std::function<void()>& fn) {
  throw_if_stop_requested();
  records_.push_back({name, StepStatus::Ok, 0, ""});
  log::info(fmt::format("step {}", name));
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  try {
    fn();
  } catch (const std::exception& e) {
    records_.back().status = StepStatus::Failed;
    records_.back().seconds = elapsed();
    // A step the user stopped failed because of it: say so, not "exit 143".
    if (int sig = stop_request()) {
      Error stop = interrupted_error(sig);
      records_.back().note = stop.what();
      throw stop;
    }
    if (records_.back().note.empty()) records_.back().note = e.what();
    throw;
  }
  records_.back().seconds = elapsed();
}

void StepRunner::skip(const std::string& name, const std::string& note) {
  records_.push_back({name, StepStatus::Skipped, 0, note});
}

void StepRunner::skip_current(const std::string& why) {
  if (records_.empty()) return;
  records_.back().status = StepStatus::Skipped;
  note(why);
}

void StepRunner::note(const std::string& text) {
  if (records_.empty()) return;
  auto& n = records_.back().note;
  n += n.empty() ? text : "; " + text;
}

const StepRecord* StepRunner::failed() const {
  for (const auto& r : records_)
    if (r.status == StepStatus::Failed) return &r;
  return nullptr;
}

std::string format_step_table(const std::vector<StepRecord>& records) {
  std::string out = fmt::format("{:<14} {:<8} {:>9}  {}\n", "STEP", "STATUS", "SECONDS", "NOTE");
  double total = 0;
  for (const auto& r : records) {
    total += r.seconds;
    std::string note = r.note.size() > 100 ? r.note.substr(0, 97) + "..." : r.note;
    out += fmt::format("{:<14} {:<8} {:>9.2f}  {}\n", r.name, status_name(r.status), r.seconds,
                       note);
  }
  out += fmt::format("{:<14} {:<8} {:>9.2f}\n", "total", "", total);
  return out;
}

std::string steps_to_json(const std::vector<StepRecord>& records) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& r : records)
    array.push_back({{"name", r.name}, {"status", status_name(r.status)},
                     {"seconds", r.seconds}, {"note", r.note}});
  return array.dump();
}

}  // namespace cleanroom::build
