// The seccomp policy of a sandboxed command, compiled here (in the cleanroom
// process, with libseccomp) into classic BPF bytes that the helper only installs.
// Denied calls fail with EPERM rather than killing the process, so a build tool
// probing for a feature gets an error it can handle. docs/security.md lists each
// rule and the reason for it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::sandbox {

struct SeccompPolicy {
  bool network = false;  // false: no AF_INET, AF_INET6 or AF_PACKET sockets
  // The Debian architecture of the programs the sandbox runs; "" the native
  // one. A compatible 32-bit one (i386 on amd64) admits that system call ABI
  // too, with the same rules.
  std::string arch;
  // A one-id sandbox (a user without a subordinate range): chown(2) and its kin
  // report success and change nothing. No owner but the user can exist there,
  // and dpkg, tar and apt stop when a chown to `man` or `_apt` fails.
  bool single_id = false;
  // Writable binds of the caller's files: chmod, open, creat and mknod may not
  // set S_ISUID or S_ISGID (openat2, whose mode a filter cannot read, is
  // ENOSYS). A planted setuid file would outlive the sandbox on the host.
  bool no_setid_files = false;
};

// Names of the system calls the policy refuses outright (for docs and tests).
std::vector<std::string> denied_syscalls();

// The Debian architecture of the system call ABI cleanroom was compiled for
// ("amd64" on x86-64); "" on a platform it does not know.
std::string native_debian_arch();

// The Debian architectures whose programs a sandbox here can run: the native
// one and the 32-bit one its kernel runs beside it (i386 on amd64), as
// Debian's i386 build daemons run on 64-bit machines. Empty when unknown.
std::vector<std::string> runnable_debian_arches();

// Whether a sandbox for arch runs its command with the PER_LINUX32
// personality, so that `uname -m` names the 32-bit machine (i686).
bool runs_as_linux32(const std::string& arch);

// A struct sock_filter array as raw bytes. Throws Error(Input) for an
// architecture not in runnable_debian_arches(), Error(Environment) when
// libseccomp cannot build it. Taken from the precompiled programs when the
// executable carries them (below), else compiled now.
std::string compile_seccomp(const SeccompPolicy& policy);
// Always compiled now, with libseccomp: what the precompiled ones are made by.
std::string compile_seccomp_now(const SeccompPolicy& policy);

// Every policy of every runnable architecture has few variants (16 on
// amd64), so the `cleanroom` executable carries them compiled at build time
// (cleanroom-seccomp-programs writes them out): compiling one took about
// 0.4 ms of each sandbox's start-up. The generated file registers them from
// a static initializer.
struct PrecompiledSeccomp {
  SeccompPolicy policy;  // arch: the Debian architecture, never ""
  std::string_view program;
};
void use_precompiled_seccomp(const PrecompiledSeccomp* programs, std::size_t count);
// How many are registered (0 in an executable without them).
std::size_t precompiled_seccomp_count();

}  // namespace cleanroom::sandbox
