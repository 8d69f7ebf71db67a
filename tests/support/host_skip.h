// Unit tests that need something of the host (a kernel feature, a program,
// root) check it first and, when it is missing, end as *skipped* with the
// reason, never as passed:
//
//   if (std::string why = cleanroom::test::ia32_missing(); !why.empty()) {
//     cleanroom::test::host_skip(why);
//     return;
//   }
//
// host_skip records the reason. When the test case ends without a failed
// assertion, the listener in tests/unit/catch_main.cpp prints
// "CLEANROOM-SKIP: <reason>" on stdout, which ctest's SKIP_REGULAR_EXPRESSION
// (tests/CMakeLists.txt) reports as "Skipped". A failed assertion always wins:
// ctest's skip expression outranks the exit code, so the marker is never
// printed for a test case that failed. A test that could run only part of its
// checks may call host_skip and go on; it is then reported as skipped too.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace cleanroom::test {

inline constexpr const char* kHostSkipMarker = "CLEANROOM-SKIP: ";

// The reasons given by the running test case, "; "-separated.
inline std::string& host_skip_reasons() {
  static std::string reasons;
  return reasons;
}

inline void host_skip(const std::string& why) {
  std::string& reasons = host_skip_reasons();
  if (reasons == why || reasons.find(why + "; ") == 0 || reasons.find("; " + why) != std::string::npos)
    return;  // once per reason, for checks in loops
  if (!reasons.empty()) reasons += "; ";
  reasons += why;
}

// An environment variable set to anything but "" or "0".
inline bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// Why 32-bit x86 system calls (int $0x80 from this 64-bit process) cannot run
// here, or "" when they can. A kernel without CONFIG_IA32_EMULATION, or booted
// with ia32_emulation=0, has no such entry: a child that tries getpid through
// it dies of SIGSEGV. CLEANROOM_TEST_NO_IA32=1 makes the tests behave as if
// the kernel had none. Any other outcome of the probe throws: a probe that
// cannot tell must fail the test, not skip it.
inline std::string ia32_missing() {
  if (env_flag("CLEANROOM_TEST_NO_IA32"))
    return "CLEANROOM_TEST_NO_IA32 is set: as if the kernel had no 32-bit x86 entry";
#if defined(__x86_64__)
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("ia32 probe: fork failed");
  if (pid == 0) {
    ::signal(SIGSEGV, SIG_DFL);            // not the test framework's handler: just die
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // and leave no core file
    long ret;
    asm volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");  // i386 getpid
    ::_exit(ret == ::getpid() ? 0 : 1);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) throw std::runtime_error("ia32 probe: waitpid failed");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
    return "this kernel has no 32-bit x86 entry (int $0x80 raised SIGSEGV): no CONFIG_IA32_EMULATION, "
           "or booted with ia32_emulation=0";
  throw std::runtime_error("ia32 probe: int $0x80 getpid ended with status " + std::to_string(status));
#else
  return "not an x86-64 machine";
#endif
}

}  // namespace cleanroom::test
