// Starting the helper and waiting for it. While the sandbox runs, this process
// blocks the signals a user sends to stop it and passes on those sent to it
// explicitly (kill, a CI runner) to every sandbox it runs; a terminal's Ctrl-C
// reaches the helper and pid 1, in cleanroom's process group, directly. So
// cleanroom itself survives it, like system(3), and notes the stop request.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <sstream>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/sandbox/cgroup_limits.h"
#include "cleanroom/sandbox/protocol.h"
#include "cleanroom/sandbox/sandbox.h"

namespace cleanroom::sandbox {

namespace {

// A terminal's Ctrl-C to an interactive command (a shell) is that command's
// business, not a request to stop cleanroom.
bool is_stop_request(int sig, bool from_terminal, bool interactive) {
  return sig != SIGCHLD && !(interactive && from_terminal);
}

class BlockedSignals {
 public:
  explicit BlockedSignals(bool interactive) : interactive_(interactive) {
    sigemptyset(&set_);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&set_, sig);
    if (::sigprocmask(SIG_BLOCK, &set_, &old_) != 0) throw_errno("sigprocmask");
  }
  ~BlockedSignals() {
    // Drop what arrived while blocked (a Ctrl-C the sandbox already handled),
    // but remember a stop request: what would run next must not start.
    struct timespec zero{};
    siginfo_t info;
    for (int sig; (sig = ::sigtimedwait(&set_, &info, &zero)) > 0;) {
      bool from_terminal = info.si_code == SI_KERNEL;
      if (is_stop_request(sig, from_terminal, interactive_)) note_stop_request(sig, from_terminal);
    }
    ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  const sigset_t& set() const { return set_; }

 private:
  bool interactive_;
  sigset_t set_, old_;
};

// Passes on the signals sent to cleanroom: the first stop request through
// stop_forward_fd, so that the sandboxes other threads wait for get it too. A
// terminal's signal reached the helper, in cleanroom's process group, by itself.
int wait_forwarding(Child& helper, const sigset_t& set, bool interactive) {
  // Non-blocking: a signal sent to the process (a helper's SIGCHLD) makes
  // every thread's signalfd readable, and only one thread gets to read it.
  UniqueFd sfd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd) throw_errno("signalfd");
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, helper.pid(), 0)));
  if (!pidfd) throw_errno("pidfd_open", errno, ErrorKind::Environment);
  int forward_fd = stop_forward_fd();
  while (true) {
    struct pollfd fds[3] = {
        {sfd.get(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}, {forward_fd, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (fds[1].revents & POLLIN) return helper.wait();
    if (fds[2].revents & POLLIN) {
      helper.kill(stop_request());
      forward_fd = -1;  // once; poll ignores a negative fd
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info;
      if (::read(sfd.get(), &info, sizeof info) != sizeof info) continue;
      int sig = static_cast<int>(info.ssi_signo);
      bool from_terminal = info.ssi_code == SI_KERNEL;
      // The first stop request goes to every sandbox through forward_fd;
      // other signals (a second SIGTERM) to this one directly.
      bool first = is_stop_request(sig, from_terminal, interactive) &&
                   note_stop_request(sig, from_terminal);
      if (sig != SIGCHLD && !first && !from_terminal) helper.kill(sig);
    }
  }
}

std::string setup_error(const Spec& spec, int step_number, int err, long mount) {
  auto step = static_cast<SetupStep>(step_number);
  std::string what = step_name(step);
  if (mount >= 0 && static_cast<std::size_t>(mount) < spec.mounts.size()) {
    const MountEntry& m = spec.mounts[static_cast<std::size_t>(mount)];
    what += fmt::format(" '{}'", m.target);
    if (m.kind == MountKind::Bind) what += fmt::format(" (from '{}')", m.source);
  }
  std::string message = fmt::format("sandbox setup failed: {}: {} ({})", what, errno_name(err),
                                    std::strerror(err));
  std::string hint = step_hint(step, err);
  if (!hint.empty()) message += "; " + hint;
  return message;
}

}  // namespace

std::string find_helper() {
  if (const char* env = std::getenv("CLEANROOM_SANDBOX_HELPER"); env && *env) return env;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw_errno("readlink /proc/self/exe", errno, ErrorKind::Environment);
  self[n] = '\0';
  std::string dir(self);
  dir.resize(dir.rfind('/'));
  std::string helper = dir + "/cleanroom-sandbox";
  if (::access(helper.c_str(), X_OK) != 0)
    throw_environment(fmt::format("sandbox helper '{}' is missing: reinstall cleanroom", helper));
  return helper;
}

RunResult run_spec(const Spec& spec, const std::string& helper_path) {
  UniqueFd spec_fd(::memfd_create("cleanroom-spec", MFD_CLOEXEC));
  if (!spec_fd) throw_errno("memfd_create", errno, ErrorKind::Environment);
  write_all(spec_fd.get(), encode_spec(spec), "sandbox spec");
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd status_read(status_pipe[0]), status_write(status_pipe[1]);

  ProcessSpec process;
  // argv[0] is what the sandbox sees as pid 1's command line: no host path.
  process.program = helper_path;
  process.argv = {"cleanroom-sandbox", "--spec-fd", std::to_string(spec_fd.get()), "--status-fd",
                  std::to_string(status_write.get())};
  process.env = std::vector<std::string>{};  // the helper needs nothing from ours
  process.keep_fds = {spec_fd.get(), status_write.get()};
  // Declared before the helper so that it is removed after the helper is reaped.
  std::optional<SandboxCgroup> cgroup;
  CgroupLimits limits{spec.memory_limit_bytes, spec.pids_limit};
  if (limits.any()) cgroup = SandboxCgroup::create(limits);
  // cgroup_limits.h: the helper joins (v1) or moves pid 1 in (v2).
  if (cgroup) {
    const char* option = cgroup->helper_joins() ? "--cgroup-join-fd" : "--cgroup-procs-fd";
    for (int fd : cgroup->procs_fds()) {
      process.argv.insert(process.argv.end(), {option, std::to_string(fd)});
      process.keep_fds.push_back(fd);
    }
  }

  int helper_status;
  {
    BlockedSignals blocked(spec.interactive);
    Child helper(process);
    spec_fd.reset();
    status_write.reset();
    helper_status = wait_forwarding(helper, blocked.set(), spec.interactive);
  }
  std::string status = read_all(status_read.get(), "sandbox status");
  std::istringstream in(status);
  std::string kind;
  long a = 0, b = 0, c = -1;
  in >> kind >> a >> b >> c;
  RunResult result;
  if (kind == "exit") {
    result.exit_code = static_cast<int>(a);
  } else if (kind == "timeout") {
    result.exit_code = 124;
    result.timed_out = true;
  } else if (kind == "exec") {
    // Like a shell: 127 for a command that is not there, 126 for one that cannot run.
    result.command_not_found = a == ENOENT;
    result.exit_code = result.command_not_found ? 127 : 126;
    log::error(fmt::format("cannot run '{}' in the sandbox: {} ({})", spec.argv.at(0),
                           errno_name(static_cast<int>(a)), std::strerror(static_cast<int>(a))));
  } else if (kind == "setup") {
    auto step = static_cast<SetupStep>(a);
    ErrorKind error_kind =
        is_path_conflict(step, static_cast<int>(b)) ? ErrorKind::Input : ErrorKind::Environment;
    throw Error(error_kind, setup_error(spec, static_cast<int>(a), static_cast<int>(b), c), static_cast<int>(b));
  } else if (kind == "error") {
    throw Error(static_cast<ErrorKind>(a >= 1 && a <= 3 ? a : 1),
                "sandbox helper failed (see its message above)");
  } else {
    throw_failure(fmt::format("sandbox helper ended without a status (exit status {})", helper_status));
  }
  log::debug(fmt::format("sandbox: exit {}", result.exit_code));
  return result;
}

}  // namespace cleanroom::sandbox
