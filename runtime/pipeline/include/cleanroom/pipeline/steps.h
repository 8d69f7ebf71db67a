// A build is a linear list of named, timed steps (docs/architecture.md, like mold's passes).
// The runner records each step's outcome and duration for the step table that
// ends every build, and for --json.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace cleanroom::build {

enum class StepStatus { Ok, Skipped, Failed, NotRun };

struct StepRecord {
  std::string name;
  StepStatus status = StepStatus::NotRun;
  double seconds = 0;
  std::string note;  // "cached layer 1a2b..", "lintian not in build root", the error
};

class StepRunner {
 public:
  // Runs fn as step `name`; an exception marks it failed, is recorded and rethrown.
  // fn may call skip_current(why) to mark the step skipped without failing.
  void run(const std::string& name, const std::function<void()>& fn);
  // Records step `name` as skipped without running anything.
  void skip(const std::string& name, const std::string& note);
  // The running step found it had nothing to do (lintian absent): the table
  // says skipped, with why, rather than ok.
  void skip_current(const std::string& why);
  void note(const std::string& text);  // annotates the current step

  const std::vector<StepRecord>& records() const { return records_; }
  // The first failed step, or nullptr.
  const StepRecord* failed() const;

 private:
  std::vector<StepRecord> records_;
};

// Fixed-width text table: step, status, seconds, note.
std::string format_step_table(const std::vector<StepRecord>& records);
// JSON array of {name, status, seconds, note}.
std::string steps_to_json(const std::vector<StepRecord>& records);
const char* status_name(StepStatus status);

}  // namespace cleanroom::build
