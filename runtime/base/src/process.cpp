#include "cleanroom/base/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom {

namespace {
std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// posix_spawn's attributes and file actions, released on every path.
class SpawnSetup {
 public:
  explicit SpawnSetup(const ProcessSpec& spec) {
    check(::posix_spawn_file_actions_init(&actions_), "file actions");
    check(::posix_spawnattr_init(&attr_), "attributes");
    auto dup_to = [&](int from, int to) {
      // dup2 onto the same number clears FD_CLOEXEC, which is what keeping means.
      if (from >= 0) check(::posix_spawn_file_actions_adddup2(&actions_, from, to), "dup2");
    };
    dup_to(spec.stdin_fd, 0);
    dup_to(spec.stdout_fd, 1);
    dup_to(spec.stderr_fd, 2);
    for (int fd : spec.keep_fds) dup_to(fd, fd);
    if (!spec.cwd.empty())
      check(::posix_spawn_file_actions_addchdir_np(&actions_, spec.cwd.c_str()), "chdir");
    short flags = POSIX_SPAWN_SETSIGMASK;
    if (spec.new_process_group) flags |= POSIX_SPAWN_SETPGROUP;
    sigset_t none;
    sigemptyset(&none);
    check(::posix_spawnattr_setsigmask(&attr_, &none), "signal mask");
    check(::posix_spawnattr_setpgroup(&attr_, 0), "process group");
    check(::posix_spawnattr_setflags(&attr_, flags), "flags");
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  static void check(int rc, const char* what) {
    if (rc != 0) throw_errno(std::string("posix_spawn ") + what, rc);
  }
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};
// fork, not posix_spawn: the parent-death signal must be set in the child
// before exec. Only async-signal-safe calls run in the child. Returns the pid,
// or throws with the exec error.
pid_t fork_and_exec(const ProcessSpec& spec, char** argv, char** envp) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd read_end(pipefd[0]), write_end(pipefd[1]);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    int err = 0;
    if (spec.parent_death_signal && ::prctl(PR_SET_PDEATHSIG, spec.parent_death_signal) != 0) err = errno;
    // The parent may have died before the prctl.
    if (::getppid() != parent) ::_exit(127);
    auto dup_to = [&](int from, int to) {
      if (err == 0 && from >= 0 && from != to && ::dup2(from, to) < 0) err = errno;
      if (from == to) ::fcntl(to, F_SETFD, 0);
    };
    dup_to(spec.stdin_fd, 0);
    dup_to(spec.stdout_fd, 1);
    dup_to(spec.stderr_fd, 2);
    for (int fd : spec.keep_fds) ::fcntl(fd, F_SETFD, 0);
    if (err == 0 && spec.new_process_group) ::setpgid(0, 0);
    if (err == 0 && !spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) err = errno;
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (err == 0) {
      ::execvpe(spec.program.empty() ? argv[0] : spec.program.c_str(), argv, envp);
      err = errno;
    }
    (void)!::write(write_end.get(), &err, sizeof err);
    ::_exit(127);
  }
  write_end.reset();
  int err = 0;
  ssize_t n;
  do {
    n = ::read(read_end.get(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof err) {
    ::waitpid(pid, nullptr, 0);
    throw_errno("run '" + spec.argv[0] + "'", err,
                err == ENOENT ? ErrorKind::Environment : ErrorKind::Failure);
  }
  return pid;
}

}  // namespace

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

Child::Child(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw_input("empty command");
  auto argv = c_strings(spec.argv);
  std::vector<char*> envp;
  if (spec.env) envp = c_strings(*spec.env);
  if (spec.parent_death_signal) {
    pid_ = fork_and_exec(spec, argv.data(), spec.env ? envp.data() : environ);
    return;
  }
  SpawnSetup setup(spec);
  // posix_spawn shares the address space until the exec (no page-table copy
  // of this large process) and reports a failed exec as its return value.
  pid_t pid = -1;
  const char* program = spec.program.empty() ? argv[0] : spec.program.c_str();
  int err = ::posix_spawnp(&pid, program, setup.actions(), setup.attr(), argv.data(),
                           spec.env ? envp.data() : environ);
  if (err != 0)
    throw_errno("run '" + spec.argv[0] + "'", err,
                err == ENOENT ? ErrorKind::Environment : ErrorKind::Failure);
  pid_ = pid;
}

Child::Child(Child&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
  }
}

int Child::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("waitpid");
  }
  pid_ = -1;
  return decode_wait_status(status);
}

void Child::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

ProcessResult run_process(ProcessSpec spec, bool capture_stdout) {
  ProcessResult result;
  if (!capture_stdout) {
    Child child(spec);
    result.status = child.wait();
    return result;
  }
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd read_end(pipefd[0]), write_end(pipefd[1]);
  spec.stdout_fd = write_end.get();
  Child child(spec);
  write_end.reset();
  result.output = read_all(read_end.get(), "output of '" + spec.argv[0] + "'");
  result.status = child.wait();
  return result;
}

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return "";
}

}  // namespace cleanroom
