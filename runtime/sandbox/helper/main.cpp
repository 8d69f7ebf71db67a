// cleanroom-sandbox: the small, single-threaded helper that turns a sandbox spec
// into namespaces and runs one command in them (the model is Bazel's
// linux-sandbox). Usage: cleanroom-sandbox --spec-fd N --status-fd M
// [--cgroup-procs-fd K]....
//
// It reads and checks the spec and prepares every byte the child will need,
// then clones the child into new namespaces, writes its id maps, lets it go,
// and watches it: child setup errors arrive as fixed records on a pipe, signals
// sent to the helper are passed on to the sandbox, and a timeout kills the
// sandbox's pid 1 (and so every process in it). One status line goes to the
// status fd; the exit code is the command's. The helper dies with its parent
// (PR_SET_PDEATHSIG), so killing cleanroom takes everything down.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "child.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/prefault.h"
#include "cleanroom/base/unique_fd.h"
#include "id_maps.h"
#include "namespace_nproc.h"
#include "signals.h"

namespace {

// First of all initializers, since they already fault (prefault.h).
[[gnu::constructor(101)]] void prefault() {
  cleanroom::prefault_code();
  cleanroom::prefault_heap(128 * 1024);
}

using namespace cleanroom;
using namespace cleanroom::sandbox;
using namespace cleanroom::sandbox::helper;

struct Args {
  int spec_fd = -1;
  int status_fd = -1;
  std::vector<int> cgroup_procs_fds;  // pid 1 is moved into these cgroups
  std::vector<int> cgroup_join_fds;   // `tasks` files the helper joins before pid 1 starts
};

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (key == "--spec-fd") args.spec_fd = value;
    else if (key == "--status-fd") args.status_fd = value;
    else if (key == "--cgroup-procs-fd") args.cgroup_procs_fds.push_back(value);
    else if (key == "--cgroup-join-fd") args.cgroup_join_fds.push_back(value);
    else throw_input(fmt::format("unknown option '{}'", key));
  }
  if (args.spec_fd < 0 || args.status_fd < 0 || argc % 2 == 0)
    throw_input("usage: cleanroom-sandbox --spec-fd N --status-fd M [--cgroup-procs-fd K]... "
                "[--cgroup-join-fd K]...");
  return args;
}

std::int64_t now_ms() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

void report(int status_fd, const std::string& line) {
  std::string text = line + "\n";
  (void)!::write(status_fd, text.data(), text.size());
}

pid_t clone_child(bool network) {
  // No CLONE_NEWCGROUP: pid 1 makes its cgroup namespace once it is in the
  // sandbox's cgroup.
  unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
                        (network ? 0 : CLONE_NEWNET);
  // Plain clone without a new stack: the helper is single-threaded, so this is
  // a fork into new namespaces.
  return static_cast<pid_t>(::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
}

// pid 0: the calling thread itself, which (the helper being single-threaded)
// is the whole process; pid 1, cloned after, is born in the same cgroups.
void move_into_cgroups(pid_t pid, const std::vector<int>& procs_fds) {
  std::string text = std::to_string(pid);
  for (int fd : procs_fds) {
    ssize_t n;
    do {
      n = ::write(fd, text.data(), text.size());
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(text.size())) throw_errno("move the sandbox into its cgroup");
    ::close(fd);
  }
}

// A set-up step of the helper's own failed: pid 1 goes, the status says which.
int abandon(pid_t pid1, SetupStep step, const Error& e, int status_fd) {
  ::kill(pid1, SIGKILL);
  ::waitpid(pid1, nullptr, 0);
  std::fprintf(stderr, "cleanroom-sandbox: %s\n", e.what());
  report(status_fd, fmt::format("setup {} {}", static_cast<int>(step),
                                e.error_number() ? e.error_number() : EPERM));
  return 3;
}

// The second byte. pid 1 may have failed its set-up and exited already:
// then the write fails with EPIPE (SIGPIPE blocked and taken back, not
// ignored, which the command would inherit) and supervise reads its record.
void send_ready(int go_fd) {
  sigset_t pipe_signal, old;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::sigprocmask(SIG_BLOCK, &pipe_signal, &old);
  char ready = 1;
  if (::write(go_fd, &ready, 1) != 1) {
    struct timespec zero{};
    ::sigtimedwait(&pipe_signal, nullptr, &zero);
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

// The status line and exit code once the sandbox is over.
struct Outcome {
  bool timed_out = false;
  bool have_error = false;
  ChildError child_error{};
};

int conclude(int code, const Outcome& o, const Spec& spec, int status_fd) {
  if (o.timed_out) {
    report(status_fd, fmt::format("timeout {}", spec.timeout_seconds));
    return 124;
  }
  if (o.have_error && o.child_error.step == static_cast<int>(SetupStep::Exec)) {
    report(status_fd, fmt::format("exec {}", o.child_error.err));
    return code;
  }
  if (o.have_error) {
    report(status_fd, fmt::format("setup {} {} {}", o.child_error.step, o.child_error.err,
                                  o.child_error.mount));
    return 3;
  }
  report(status_fd, fmt::format("exit {}", code));
  return code;
}

// Watches the sandbox until pid 1 reports the command's end or exits; returns
// the helper's exit code.
int supervise(pid_t pid1, const Spec& spec, int error_fd, int status_fd) {
  sigset_t set = watched_signals();
  UniqueFd sfd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) throw_errno("signalfd");
  std::int64_t deadline = spec.timeout_seconds ? now_ms() + std::int64_t(spec.timeout_seconds) * 1000 : -1;
  bool error_open = true;
  Outcome outcome;
  // A record from the child: a setup or exec failure, or pid 1's last word.
  // Returns true when that was the end of the command.
  auto take_record = [&](int& code) {
    ChildError record{};
    ssize_t got = ::read(error_fd, &record, sizeof record);
    if (got <= 0) error_open = false;
    if (got != sizeof record) return false;
    if (record.step != kCommandExited) {
      outcome.child_error = record;
      outcome.have_error = true;
      return false;
    }
    code = record.err;
    return true;
  };
  while (true) {
    struct pollfd fds[2] = {{sfd.get(), POLLIN, 0}, {error_open ? error_fd : -1, POLLIN, 0}};
    int wait_ms = -1;
    if (deadline >= 0 && !outcome.timed_out)
      wait_ms = static_cast<int>(std::max<std::int64_t>(0, deadline - now_ms()));
    int n = ::poll(fds, 2, wait_ms);
    if (n < 0 && errno != EINTR) throw_errno("poll");
    if (n == 0 && deadline >= 0 && !outcome.timed_out) {
      // SIGKILL to pid 1 ends the pid namespace: every process in it dies.
      ::kill(pid1, SIGKILL);
      outcome.timed_out = true;
      continue;
    }
    int code = 0;
    if (error_open && (fds[1].revents & (POLLIN | POLLHUP)) && take_record(code))
      return conclude(code, outcome, spec, status_fd);
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info;
      if (::read(sfd.get(), &info, sizeof info) != sizeof info) continue;
      int sig = static_cast<int>(info.ssi_signo);
      if (sig != SIGCHLD) {
        if (!sent_by_terminal(info.ssi_code)) ::kill(pid1, sig);
        continue;
      }
      int status = 0;
      pid_t done = ::waitpid(pid1, &status, WNOHANG);
      if (done != pid1) continue;
      // Drain records written just before the exit.
      while (error_open && !take_record(code)) {
      }
      code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return conclude(code, outcome, spec, status_fd);
    }
  }
}

int run(const Args& args) {
  pid_t parent = ::getppid();
  // The helper dies with cleanroom; checking the parent after the prctl closes
  // the window where cleanroom died before it.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) throw_errno("prctl(PR_SET_PDEATHSIG)");
  if (::getppid() != parent) return 1;

  UniqueFd spec_fd(args.spec_fd);
  if (::lseek(spec_fd.get(), 0, SEEK_SET) < 0 && errno != ESPIPE) throw_errno("seek in spec");
  std::string text = read_all(spec_fd.get(), "sandbox spec");
  spec_fd.reset();
  Spec spec = decode_spec(text);
  // Before prepare: the sandbox's own rlimits are clamped to the lowered one.
  cap_namespace_processes(spec.pids_limit);
  Prepared prep;
  prepare(spec, prep);
  ::fcntl(args.status_fd, F_SETFD, FD_CLOEXEC);
  for (int fd : args.cgroup_procs_fds) ::fcntl(fd, F_SETFD, FD_CLOEXEC);

  sigset_t set = watched_signals();
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) throw_errno("sigprocmask");

  int go_pipe[2], error_pipe[2];
  if (::pipe2(go_pipe, O_CLOEXEC) != 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd go_read(go_pipe[0]), go_write(go_pipe[1]);
  UniqueFd error_read(error_pipe[0]), error_write(error_pipe[1]);

  try {
    move_into_cgroups(0, args.cgroup_join_fds);
  } catch (const Error& e) {
    report(args.status_fd, fmt::format("setup {} {}", static_cast<int>(SetupStep::Cgroup), e.error_number()));
    return 3;
  }

  std::fflush(nullptr);
  pid_t pid1 = clone_child(spec.network);
  if (pid1 < 0) {
    report(args.status_fd, fmt::format("setup {} {}", static_cast<int>(SetupStep::UserNamespace), errno));
    return 3;
  }
  if (pid1 == 0) {
    // The child must not hold the go pipe's write end: EOF is how it notices
    // the helper died before letting it go.
    ::close(go_pipe[1]);
    ::close(error_pipe[0]);
    // pid 1 never execs, so close-on-exec alone would keep these open.
    ::close(args.status_fd);
    for (int fd : args.cgroup_procs_fds) ::close(fd);
    run_child(prep, go_pipe[0], error_pipe[1]);
  }
  go_read.reset();
  error_write.reset();
  // Never block on a record: after pid 1 exits, a dying command may hold the pipe.
  ::fcntl(error_read.get(), F_SETFL, O_NONBLOCK);
  try {
    write_id_maps(pid1, spec);
    idmap_bind_trees(spec, prep);
  } catch (const Error& e) {
    return abandon(pid1, SetupStep::IdMaps, e, args.status_fd);
  }
  // Two bytes: the first lets pid 1 build the root, the second lets it start
  // the command, once pid 1 is in the sandbox's cgroups. Writing a pid into
  // cgroup.procs waits for an RCU grace period (~18 ms on cgroup v1); pid 1
  // builds the root meanwhile. Nothing of the build runs before the move, so
  // everything it starts is counted from its first instruction.
  char go = 1;
  if (::write(go_write.get(), &go, 1) != 1) throw_errno("start the sandbox");
  try {
    move_into_cgroups(pid1, args.cgroup_procs_fds);
  } catch (const Error& e) {
    // ESRCH: pid 1 already failed its set-up, and its record says why.
    if (e.error_number() != ESRCH) return abandon(pid1, SetupStep::Cgroup, e, args.status_fd);
  }
  send_ready(go_write.get());
  // go_write stays open until the helper exits: the child checks for the
  // hang-up to learn whether the helper is still alive.
  return supervise(pid1, spec, error_read.get(), args.status_fd);
}

}  // namespace

int main(int argc, char** argv) {
  int status_fd = -1;
  try {
    Args args = parse_args(argc, argv);
    status_fd = args.status_fd;
    return run(args);
  } catch (const Error& e) {
    std::fprintf(stderr, "cleanroom-sandbox: %s\n", e.what());
    if (status_fd >= 0) report(status_fd, fmt::format("error {}", e.exit_code()));
    return e.exit_code();
  }
}
