#include "cleanroom/base/process.h"

#include <fcntl.h>
#include <signal.h>
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

// Runs in the forked child: only async-signal-safe calls from here on.
[[noreturn]] void exec_child(const ProcessSpec& spec, char** argv, char** envp, int error_fd) {
  auto dup_to = [](int from, int to) {
    if (from >= 0 && from != to && ::dup2(from, to) < 0) return false;
    if (from == to) ::fcntl(to, F_SETFD, 0);
    return true;
  };
  bool ok = dup_to(spec.stdin_fd, 0) && dup_to(spec.stdout_fd, 1) && dup_to(spec.stderr_fd, 2);
  for (int fd : spec.keep_fds) ::fcntl(fd, F_SETFD, 0);
  if (ok && spec.new_process_group) ::setpgid(0, 0);
  if (ok && !spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) ok = false;
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (ok) {
    if (envp)
      ::execvpe(argv[0], argv, envp);
    else
      ::execvp(argv[0], argv);
  }
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
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
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd read_end(pipefd[0]), write_end(pipefd[1]);
  pid_ = ::fork();
  if (pid_ < 0) throw_errno("fork");
  if (pid_ == 0) exec_child(spec, argv.data(), spec.env ? envp.data() : nullptr, write_end.get());
  write_end.reset();
  int err = 0;
  ssize_t n;
  do {
    n = ::read(read_end.get(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof err) {
    wait();
    throw_errno("run '" + spec.argv[0] + "'", err,
                err == ENOENT ? ErrorKind::Environment : ErrorKind::Failure);
  }
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
