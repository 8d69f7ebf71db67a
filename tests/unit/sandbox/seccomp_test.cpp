// The compiled policy is installed for real in a forked child, which reports
// what each probe returned: a filter that compiles but does not refuse is a bug.
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/vm_sockets.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "cleanroom/sandbox/seccomp_policy.h"
#include "host_skip.h"

using namespace cleanroom::sandbox;

namespace {

struct Probe {
  const char* name;
  long (*call)();
};

// 0: the owner changed; -1: chown reported success and changed nothing; else errno.
long try_chown() {
  char path[] = "/tmp/cleanroom-chown-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return errno;
  ::close(fd);
  long r = ::chown(path, 4242, 4242) == 0 ? 0L : long{errno};
  struct stat st {};
  if (r == 0 && ::stat(path, &st) == 0 && st.st_uid != 4242) r = -1;
  ::unlink(path);
  return r;
}

// chmod of a fresh file to 04755 and an O_CREAT with that mode: 0 or errno.
long try_setuid_mode(bool create) {
  char path[] = "/tmp/cleanroom-setid-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return errno;
  ::close(fd);
  ::unlink(path);
  long r = 0;
  if (create) {
    fd = ::open(path, O_CREAT | O_WRONLY, 04755);
    r = fd >= 0 ? 0L : long{errno};
    if (fd >= 0) ::close(fd);
  } else {
    fd = ::open(path, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) ::close(fd);
    r = ::chmod(path, 04755) == 0 ? 0L : long{errno};
  }
  ::unlink(path);
  return r;
}

long try_socket(int family) {
  int fd = ::socket(family, SOCK_STREAM, 0);
  if (fd >= 0) ::close(fd);
  return fd >= 0 ? 0 : errno;
}

const Probe kProbes[] = {
    {"socket inet", [] { return try_socket(AF_INET); }},
    {"socket inet6", [] { return try_socket(AF_INET6); }},
    {"socket unix", [] { return try_socket(AF_UNIX); }},
    {"unshare user", [] { return ::unshare(CLONE_NEWUSER) == 0 ? 0L : long{errno}; }},
    {"mount", [] { return ::mount("none", "/", "tmpfs", 0, nullptr) == 0 ? 0L : long{errno}; }},
    {"keyctl", [] { return ::syscall(SYS_keyctl, 0, 0, 0, 0, 0) == 0 ? 0L : long{errno}; }},
    {"bpf", [] { return ::syscall(SYS_bpf, 0, nullptr, 0) == 0 ? 0L : long{errno}; }},
    {"clone3", [] { return ::syscall(SYS_clone3, nullptr, 0) == 0 ? 0L : long{errno}; }},
    {"clone newns", [] {
       long pid = ::syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, nullptr, nullptr, nullptr, 0);
       if (pid == 0) ::_exit(0);
       if (pid > 0) ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
       return pid > 0 ? 0L : long{errno};
     }},
    {"personality query", [] { return ::personality(0xffffffff) == -1 ? long{errno} : 0L; }},
    {"personality no-aslr", [] { return ::personality(ADDR_NO_RANDOMIZE) == -1 ? long{errno} : 0L; }},
    {"personality exec", [] { return ::personality(READ_IMPLIES_EXEC) == -1 ? long{errno} : 0L; }},
    {"getpid", [] { return ::getpid() > 0 ? 0L : long{errno}; }},
    {"chown", try_chown},
    {"chmod setuid", [] { return try_setuid_mode(false); }},
    {"create setuid", [] { return try_setuid_mode(true); }},
    {"fchmodat2", [] {
       return ::syscall(452, AT_FDCWD, "/nonexistent-cleanroom", 04755, 0) == 0 ? 0L : long{errno};
     }},
    {"socket inet, high bits", [] {
       long fd = ::syscall(SYS_socket, AF_INET | (1L << 32), SOCK_STREAM, 0);
       if (fd >= 0) ::close(static_cast<int>(fd));
       return fd >= 0 ? 0L : long{errno};
     }},
    {"socket vsock", [] { return try_socket(AF_VSOCK); }},
    {"socket netlink", [] {
       int fd = ::socket(AF_NETLINK, SOCK_RAW, 0);
       if (fd >= 0) ::close(fd);
       return fd >= 0 ? 0L : long{errno};
     }},
    {"socket family 200", [] { return try_socket(200); }},
    {"ioctl tiocsetd", [] { return ::ioctl(-1, TIOCSETD, nullptr) == 0 ? 0L : long{errno}; }},
    {"personality uname26", [] { return ::personality(UNAME26) == -1 ? long{errno} : 0L; }},
    {"personality exec, bit 31", [] {
       return ::syscall(SYS_personality, 0x80000000UL | READ_IMPLIES_EXEC) == -1 ? long{errno} : 0L;
     }},
    {"personality compat layout, high bits", [] {
       return ::syscall(SYS_personality, (1UL << 32) | ADDR_COMPAT_LAYOUT) == -1 ? long{errno} : 0L;
     }},
    {"personality linux", [] { return ::personality(PER_LINUX) == -1 ? long{errno} : 0L; }},
};

// Runs every probe under the filter; returns the errno each one saw (0: allowed).
std::vector<long> probe(const std::string& bpf) {
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    sock_fprog prog{static_cast<unsigned short>(bpf.size() / sizeof(sock_filter)),
                    reinterpret_cast<sock_filter*>(const_cast<char*>(bpf.data()))};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
      ::_exit(2);
    for (const auto& p : kProbes) {
      long r = p.call();
      if (::write(pipefd[1], &r, sizeof r) != sizeof r) ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(pipefd[1]);
  std::vector<long> results;
  long r;
  while (::read(pipefd[0], &r, sizeof r) == sizeof r) results.push_back(r);
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE(results.size() == std::size(kProbes));
  return results;
}

long result(const std::vector<long>& results, const char* name) {
  for (std::size_t i = 0; i < std::size(kProbes); ++i)
    if (std::strcmp(kProbes[i].name, name) == 0) return results[i];
  FAIL("no probe " << name);
  return -1;
}

}  // namespace

TEST_CASE("the offline filter refuses escapes and internet sockets with EPERM") {
  auto r = probe(compile_seccomp({.network = false}));
  CHECK(result(r, "socket inet") == EPERM);
  CHECK(result(r, "socket inet6") == EPERM);
  CHECK(result(r, "socket unix") == 0);
  CHECK(result(r, "unshare user") == EPERM);
  CHECK(result(r, "mount") == EPERM);
  CHECK(result(r, "keyctl") == EPERM);
  CHECK(result(r, "bpf") == EPERM);
  CHECK(result(r, "clone3") == ENOSYS);
  CHECK(result(r, "clone newns") == EPERM);
  CHECK(result(r, "personality query") == 0);
  CHECK(result(r, "personality no-aslr") == 0);
  CHECK(result(r, "personality exec") == EPERM);
  CHECK(result(r, "getpid") == 0);
}

TEST_CASE("the filter reads 32-bit arguments as the kernel does") {
  auto r = probe(compile_seccomp({.network = false}));
  CHECK(result(r, "socket inet, high bits") == EPERM);
  CHECK(result(r, "personality exec, bit 31") == EPERM);
  CHECK(result(r, "personality compat layout, high bits") == EPERM);
  CHECK(result(r, "personality uname26") == 0);
  CHECK(result(r, "personality linux") == 0);
}

TEST_CASE("offline only local and netlink sockets open; the terminal's discipline stays") {
  auto r = probe(compile_seccomp({.network = false}));
  CHECK(result(r, "socket vsock") == EPERM);
  CHECK(result(r, "socket family 200") == EPERM);
  CHECK(result(r, "socket netlink") == 0);
  CHECK(result(r, "socket unix") == 0);
  CHECK(result(r, "ioctl tiocsetd") == EPERM);
  auto online = probe(compile_seccomp({.network = true}));
  CHECK(result(online, "socket netlink") == 0);
  CHECK(result(online, "ioctl tiocsetd") == EPERM);
}

TEST_CASE("with the caller's files writable no setuid or setgid file can be made") {
  auto guarded = probe(compile_seccomp({.network = false, .no_setid_files = true}));
  CHECK(result(guarded, "chmod setuid") == EPERM);
  CHECK(result(guarded, "create setuid") == EPERM);
  CHECK(result(guarded, "chown") != EPERM);
  CHECK(result(guarded, "fchmodat2") == ENOSYS);
  auto plain = probe(compile_seccomp({.network = false}));
  CHECK(result(plain, "chmod setuid") == 0);
  CHECK(result(plain, "create setuid") == 0);
}

TEST_CASE("a one-id filter makes chown report success and change nothing") {
  auto r = probe(compile_seccomp({.network = false, .single_id = true}));
  CHECK(result(r, "chown") == -1);
  CHECK(result(r, "mount") == EPERM);
  if (::getuid() == 0) CHECK(result(probe(compile_seccomp({.network = false})), "chown") == 0);
}

TEST_CASE("the online filter allows internet sockets and still refuses the rest") {
  auto r = probe(compile_seccomp({.network = true}));
  CHECK(result(r, "socket inet") == 0);
  CHECK(result(r, "socket inet6") == 0);
  CHECK(result(r, "unshare user") == EPERM);
  CHECK(result(r, "mount") == EPERM);
}

TEST_CASE("the program is whole sock_filter records and lists what it denies") {
  auto bpf = compile_seccomp({});
  CHECK(bpf.size() % sizeof(sock_filter) == 0);
  CHECK(bpf.size() / sizeof(sock_filter) < 4096);
  auto denied = denied_syscalls();
  for (const char* name : {"mount", "umount2", "pivot_root", "unshare", "setns", "init_module",
                           "kexec_load", "reboot", "bpf", "keyctl", "perf_event_open"})
    CHECK(std::find(denied.begin(), denied.end(), name) != denied.end());
}

#if defined(__x86_64__)
namespace {

// A 32-bit system call from this 64-bit process: the kernel's x86 entry, which
// seccomp sees as the x86 ABI. Pointers must lie below 4 GiB.
long int80(long nr, long a = 0, long b = 0, long c = 0) {
  long ret;
  asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}

constexpr long kX86Getpid = 20, kX86Socketcall = 102, kX86Unshare = 310;
constexpr long kKilledBySigsys = -1000;

// Runs call in a child under the filter: its result, or kKilledBySigsys.
long under_filter(const std::string& bpf, long (*call)()) {
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    sock_fprog prog{static_cast<unsigned short>(bpf.size() / sizeof(sock_filter)),
                    reinterpret_cast<sock_filter*>(const_cast<char*>(bpf.data()))};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
      ::_exit(2);
    long r = call();
    ::_exit(::write(pipefd[1], &r, sizeof r) == sizeof r ? 0 : 3);
  }
  ::close(pipefd[1]);
  long r = 0;
  bool got = ::read(pipefd[0], &r, sizeof r) == sizeof r;
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) return kKilledBySigsys;
  REQUIRE(got);
  return r;
}

long x86_socket_unix() {
  // socketcall(SYS_SOCKET, {AF_UNIX, SOCK_STREAM, 0}), as i386 glibc calls it.
  void* low = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return -9999;
  auto* args = static_cast<std::uint32_t*>(low);
  args[0] = AF_UNIX;
  args[1] = SOCK_STREAM;
  args[2] = 0;
  return int80(kX86Socketcall, 1, reinterpret_cast<long>(low));
}

}  // namespace

// Both need the kernel's 32-bit entry: without it no 32-bit system call ever
// reaches a filter (int $0x80 raises SIGSEGV first), and there is nothing to test.
TEST_CASE("an amd64 sandbox kills any 32-bit system call") {
  if (std::string why = cleanroom::test::ia32_missing(); !why.empty()) {
    cleanroom::test::host_skip(why);
    return;
  }
  auto bpf = compile_seccomp({.network = false});
  CHECK(under_filter(bpf, [] { return int80(kX86Getpid); }) == kKilledBySigsys);
  CHECK(under_filter(bpf, [] { return long{::getpid() > 0}; }) == 1);
}

TEST_CASE("an i386 sandbox admits the x86 ABI under the same rules") {
  if (std::string why = cleanroom::test::ia32_missing(); !why.empty()) {
    cleanroom::test::host_skip(why);
    return;
  }
  auto bpf = compile_seccomp({.network = false, .arch = "i386"});
  CHECK(under_filter(bpf, [] { return int80(kX86Getpid); }) > 0);
  CHECK(under_filter(bpf, [] { return int80(kX86Unshare, CLONE_NEWUSER); }) == -EPERM);
  // Sockets through socketcall work (its arguments are out of a filter's reach).
  CHECK(under_filter(bpf, x86_socket_unix) >= 0);
  // The 64-bit rules are unchanged.
  CHECK(under_filter(bpf, [] { return try_socket(AF_INET); }) == EPERM);
  CHECK(under_filter(bpf, [] { return try_socket(AF_UNIX); }) == 0);
}
#endif

TEST_CASE("a sandbox runs its native architecture, and i386 beside amd64") {
  auto arches = runnable_debian_arches();
  REQUIRE_FALSE(arches.empty());
  CHECK(arches.front() == native_debian_arch());
  bool amd64 = native_debian_arch() == "amd64";
  CHECK(runs_as_linux32("i386") == amd64);
  CHECK_FALSE(runs_as_linux32(native_debian_arch()));
  CHECK_THROWS_WITH(compile_seccomp({.arch = "armhf"}), Catch::Contains("cannot run armhf programs"));
}

TEST_CASE("the precompiled seccomp programs are the ones the policy compiles to now") {
  // unit_sandbox links them as `cleanroom` does.
  auto arches = runnable_debian_arches();
  REQUIRE(precompiled_seccomp_count() == 8 * arches.size());
  for (const auto& arch : arches)
    for (int bits = 0; bits < 8; ++bits) {
      SeccompPolicy policy{(bits & 1) != 0, arch, (bits & 2) != 0, (bits & 4) != 0};
      INFO(arch << " network " << policy.network << " single_id " << policy.single_id
                << " no_setid_files " << policy.no_setid_files);
      CHECK(compile_seccomp(policy) == compile_seccomp_now(policy));
    }
  // "" is the native architecture.
  CHECK(compile_seccomp({.network = true}) == compile_seccomp_now({.network = true, .arch = native_debian_arch()}));
}
