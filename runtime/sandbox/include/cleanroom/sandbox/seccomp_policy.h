// The seccomp policy of a sandboxed command, compiled here (in the cleanroom
// process, with libseccomp) into classic BPF bytes that the helper only installs.
// Denied calls fail with EPERM rather than killing the process, so a build tool
// probing for a feature gets an error it can handle. docs/security.md lists each
// rule and the reason for it.
#pragma once

#include <string>
#include <vector>

namespace cleanroom::sandbox {

struct SeccompPolicy {
  bool network = false;  // false: no AF_INET, AF_INET6 or AF_PACKET sockets
};

// Names of the system calls the policy refuses outright (for docs and tests).
std::vector<std::string> denied_syscalls();

// The Debian architecture whose programs a sandbox can run: the filter admits
// only the system call ABI cleanroom was compiled for ("amd64" on x86-64).
std::string native_debian_arch();

// A struct sock_filter array as raw bytes. Throws Error(Environment) when
// libseccomp cannot build it.
std::string compile_seccomp(const SeccompPolicy& policy);

}  // namespace cleanroom::sandbox
