// Starting host processes (mmdebstrap, the sandbox helper, dpkg-deb in tests).
// A Child is killed and reaped unless somebody waited for it, so no process
// outlives the object that started it by accident.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cleanroom {

struct ProcessSpec {
  std::vector<std::string> argv;
  // The file to run; "" runs argv[0] (searched in PATH). Set when argv[0]
  // should not tell where the program lives.
  std::string program;
  // nullopt: inherit the caller's environment; otherwise exactly this one.
  std::optional<std::vector<std::string>> env;
  std::string cwd;
  int stdin_fd = -1;   // -1: inherit
  int stdout_fd = -1;  // -1: inherit
  int stderr_fd = -1;  // -1: inherit
  std::vector<int> keep_fds;  // extra fds passed to the child at the same number
  bool new_process_group = false;
  // Nonzero: the child gets this signal when the thread that started it dies
  // (even by SIGKILL), for long-running host tools like mmdebstrap.
  int parent_death_signal = 0;
};

// Exit status as a shell reports it: the code, or 128+signal.
int decode_wait_status(int status);

class Child {
 public:
  explicit Child(const ProcessSpec& spec);
  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  int wait();  // returns decode_wait_status
  void kill(int signal);

 private:
  pid_t pid_ = -1;
};

struct ProcessResult {
  int status = 0;
  std::string output;  // stdout, when captured
};

// Runs to completion. With capture_stdout the child's stdout is returned.
ProcessResult run_process(ProcessSpec spec, bool capture_stdout = false);

// Finds an executable in PATH; empty when absent.
std::string find_program(const std::string& name);

}  // namespace cleanroom
