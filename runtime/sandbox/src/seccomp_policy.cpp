// Seccomp policy, security-relevant. The filter allows by default and refuses
// the calls a build never needs but an escape would: changing the mount tree or
// namespaces (the sandbox's own view must stay what the plan made it), kernel
// modules, kexec, reboot, bpf, the kernel keyring (not namespaced), perf and
// userfaultfd (common exploit primitives), io_uring (its socket operation would
// bypass the socket rules below), and terminal input injection (TIOCSTI).
// Offline, sockets of the internet and packet families are refused too; the
// network namespace with only `lo` is the first wall, this is the second.
// Only the native architecture is allowed: a 32-bit syscall entry would
// otherwise bypass every rule (libseccomp kills on a foreign arch). A sandbox
// of an i386 snapshot admits the x86 ABI too, with the same rules except the
// socket families (see add_x86_abi).
#include "cleanroom/sandbox/seccomp_policy.h"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::sandbox {

namespace {

// Outright refusals. chroot stays allowed: inside a private mount namespace it
// can only narrow the view, and some maintainer scripts call it.
constexpr const char* kDenied[] = {
    "mount", "umount2", "pivot_root", "unshare", "setns",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load", "reboot",
    "bpf", "keyctl", "add_key", "request_key",
    "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "swapon", "swapoff", "acct", "open_by_handle_at", "lookup_dcookie",
    "iopl", "ioperm", "vhangup", "syslog",
};

constexpr unsigned long kNamespaceFlags[] = {
    CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME,
};

// personality(2) bits that make exploits easier (executable data, page zero
// mapped, legacy address space layout). ADDR_NO_RANDOMIZE, UNAME26 and
// PER_LINUX32 stay allowed: `verify` varies ASLR and the kernel version string.
constexpr unsigned long kDangerousPersonality[] = {
    READ_IMPLIES_EXEC, MMAP_PAGE_ZERO, ADDR_COMPAT_LAYOUT, ADDR_LIMIT_3GB,
    ADDR_LIMIT_32BIT, SHORT_INODE, WHOLE_SECONDS, STICKY_TIMEOUTS, FDPIC_FUNCPTRS,
};

struct CtxDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

void check(int rc, const std::string& what) {
  if (rc < 0) throw_errno("seccomp: " + what, -rc, ErrorKind::Environment);
}

int syscall_number(const char* name) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) throw_environment(fmt::format("seccomp: unknown system call '{}'", name));
  return nr;
}

}  // namespace

std::vector<std::string> denied_syscalls() {
  return {std::begin(kDenied), std::end(kDenied)};
}

std::string native_debian_arch() {
#if defined(__x86_64__) && defined(__ILP32__)
  return "x32";
#elif defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "i386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64el";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "";  // unknown: no check
#endif
}

std::vector<std::string> runnable_debian_arches() {
  std::string native = native_debian_arch();
  if (native.empty()) return {};
  if (native == "amd64") return {native, "i386"};
  return {native};
}

bool runs_as_linux32(const std::string& arch) {
  // The one architecture beside the native one is the 32-bit one.
  auto arches = runnable_debian_arches();
  return arch != native_debian_arch() && std::find(arches.begin(), arches.end(), arch) != arches.end();
}

namespace {

Ctx new_context() {
  Ctx ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw_environment("seccomp: cannot initialise libseccomp");
  // The filter is installed after no_new_privs is set by the helper itself.
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "attribute NNP");
  return ctx;
}

// Rule numbers are the native ABI's; libseccomp maps them to each ABI of ctx.
void add_rules(scmp_filter_ctx ctx, bool socket_rules, bool single_id) {
  const auto deny = SCMP_ACT_ERRNO(EPERM);
  if (single_id)
    for (const char* name : {"chown", "fchown", "lchown", "fchownat", "chown32", "fchown32", "lchown32"})
      check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0), syscall_number(name), 0),
            fmt::format("rule {}", name));
  for (const char* name : kDenied)
    check(seccomp_rule_add(ctx, deny, syscall_number(name), 0), fmt::format("rule {}", name));

  // clone(2) with a namespace flag is unshare(2) by another name.
  for (unsigned long flag : kNamespaceFlags)
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
          "rule clone(namespace)");
  // clone3 passes its flags in memory, out of a filter's reach. ENOSYS makes
  // glibc fall back to clone(2), where the rules above apply.
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "rule clone3");

  // Typing into the terminal's input queue would reach the caller's shell.
  for (unsigned long request : {(unsigned long)TIOCSTI, (unsigned long)TIOCLINUX})
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(ioctl), 1,
                           SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, request)),
          "rule ioctl");

  // The query value 0xffffffff has every bit set. No real personality value
  // uses bit 31, so a dangerous bit is refused only with bit 31 clear.
  for (unsigned long bit : kDangerousPersonality)
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(personality), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, bit | 0x80000000u, bit)),
          "rule personality");

  if (socket_rules) {
    for (int family : {AF_INET, AF_INET6, AF_PACKET})
      check(seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1,
                             SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family))),
            "rule socket");
  }
}

// The x86 ABI of an i386 sandbox, with every rule but the socket families:
// libseccomp would also refuse socketcall(2)'s SYS_SOCKET, whose arguments sit
// in memory out of a filter's reach, and glibc's i386 socket() goes through
// socketcall, so every socket would fail, AF_UNIX too. Such a sandbox offline
// keeps the network namespace with only `lo` as its one wall against the
// internet; packet sockets still need CAP_NET_RAW, which no command keeps.
void add_x86_abi(scmp_filter_ctx ctx, bool single_id) {
  Ctx x86 = new_context();
  check(seccomp_arch_remove(x86.get(), SCMP_ARCH_NATIVE), "remove the native ABI");
  check(seccomp_arch_add(x86.get(), SCMP_ARCH_X86), "add the x86 ABI");
  add_rules(x86.get(), false, single_id);
  check(seccomp_merge(ctx, x86.get()), "merge the x86 ABI");
  (void)x86.release();  // seccomp_merge took it
}

}  // namespace

std::string compile_seccomp(const SeccompPolicy& policy) {
  bool second_abi = !policy.arch.empty() && policy.arch != native_debian_arch();
  if (second_abi && !runs_as_linux32(policy.arch))
    throw_input(fmt::format("a sandbox here cannot run {} programs (it runs {})", policy.arch,
                            fmt::join(runnable_debian_arches(), ", ")));
  Ctx ctx = new_context();
  add_rules(ctx.get(), !policy.network, policy.single_id);
  if (second_abi) add_x86_abi(ctx.get(), policy.single_id);

  UniqueFd mem(::memfd_create("cleanroom-seccomp", MFD_CLOEXEC));
  if (!mem) throw_errno("seccomp: memfd_create", errno, ErrorKind::Environment);
  check(seccomp_export_bpf(ctx.get(), mem.get()), "export");
  if (::lseek(mem.get(), 0, SEEK_SET) < 0) throw_errno("seccomp: lseek");
  std::string bpf = read_all(mem.get(), "seccomp program");
  if (bpf.empty() || bpf.size() % 8 != 0) throw_environment("seccomp: exported program is malformed");
  return bpf;
}

}  // namespace cleanroom::sandbox
