// Seccomp policy, security-relevant. The filter allows by default and refuses
// the calls a build never needs but an escape would: changing the mount tree or
// namespaces (the sandbox's own view must stay what the plan made it), kernel
// modules, kexec, reboot, bpf, the kernel keyring (not namespaced), perf and
// userfaultfd (common exploit primitives), io_uring (its socket operation would
// bypass the socket rules below), terminal input injection (TIOCSTI) and line
// discipline changes (TIOCSETD).
// Offline, every socket family but AF_UNIX and AF_NETLINK is refused too; the
// network namespace with only `lo` is the first wall, this is the second.
// Only the native architecture is allowed: a 32-bit syscall entry would
// otherwise bypass every rule (libseccomp kills on a foreign arch). A sandbox
// of an i386 snapshot admits the x86 ABI too, with the same rules except the
// socket families (see add_x86_abi).
#include "cleanroom/sandbox/seccomp_policy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

// personality(2) values a command may set: PER_LINUX, PER_LINUX32 (i386
// sandboxes), ADDR_NO_RANDOMIZE and UNAME26 (`verify` varies ASLR and the
// kernel version string), in any combination, and the 0xffffffff query. Every
// other bit (executable data, page zero mapped, legacy layouts) is refused.
constexpr unsigned long kAllowedPersonality = static_cast<unsigned long>(PER_LINUX32) |
                                              static_cast<unsigned long>(ADDR_NO_RANDOMIZE) |
                                              static_cast<unsigned long>(UNAME26);
constexpr unsigned long kPersonalityQuery = 0xffffffffu;

// The kernel reads these arguments as 32-bit ints; a filter comparing all 64
// bits would let `AF_INET | 1 << 32` through.
constexpr scmp_datum_t kLow32 = 0xffffffffu;

// Offline, the socket families a build may open: local sockets and netlink
// (route queries, which the empty network namespace answers).
constexpr int kOfflineFamilies[] = {AF_UNIX, AF_NETLINK};

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

// Refuses personality(2) unless its (32-bit) value is the query or uses only
// allowed bits. A filter cannot say "not in a set", so: with bit 31 clear, any
// bit outside the allowed ones refuses; with bit 31 set, any clear bit does
// (only 0xffffffff has them all).
void add_personality_rules(scmp_filter_ctx ctx) {
  const auto deny = SCMP_ACT_ERRNO(EPERM);
  constexpr scmp_datum_t high = 0x80000000u;
  for (int b = 0; b < 31; ++b) {
    scmp_datum_t bit = scmp_datum_t{1} << b;
    if ((kAllowedPersonality & bit) == 0)
      check(seccomp_rule_add(ctx, deny, SCMP_SYS(personality), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, bit | high, bit)),
            "rule personality");
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(personality), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, bit | high, high)),
          "rule personality");
  }
  static_assert(kPersonalityQuery == 0xffffffffu);
}

// Offline: every socket family but kOfflineFamilies is refused (AF_VSOCK would
// reach the hypervisor of a VM, AF_BLUETOOTH, AF_CAN ... devices). Families
// are below 64; any higher bit of the 32-bit argument refuses too.
void add_offline_socket_rules(scmp_filter_ctx ctx) {
  const auto deny = SCMP_ACT_ERRNO(EPERM);
  for (int family = 0; family < 64; ++family) {
    if (std::find(std::begin(kOfflineFamilies), std::end(kOfflineFamilies), family) !=
        std::end(kOfflineFamilies))
      continue;
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, static_cast<scmp_datum_t>(family))),
          "rule socket");
  }
  for (int b = 6; b < 32; ++b) {
    scmp_datum_t bit = scmp_datum_t{1} << b;
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit)),
          "rule socket");
  }
}

// Refuses every way to give a file S_ISUID or S_ISGID: the mode argument of
// chmod, fchmod, fchmodat, creat, mknod, mknodat, and of open and openat when
// they create (O_CREAT or O_TMPFILE). fchmodat2 and openat2 are ENOSYS: glibc
// falls back to the calls above.
void add_no_setid_rules(scmp_filter_ctx ctx) {
  const auto deny = SCMP_ACT_ERRNO(EPERM);
  struct ModeArg {
    int nr;
    unsigned arg;
  };
  const ModeArg plain[] = {{SCMP_SYS(chmod), 1},   {SCMP_SYS(fchmod), 1}, {SCMP_SYS(fchmodat), 2},
                           {SCMP_SYS(creat), 1},   {SCMP_SYS(mknod), 1},  {SCMP_SYS(mknodat), 2}};
  const ModeArg creating[] = {{SCMP_SYS(open), 2}, {SCMP_SYS(openat), 3}};
  for (scmp_datum_t bit : {scmp_datum_t{S_ISUID}, scmp_datum_t{S_ISGID}}) {
    for (const auto& m : plain)
      check(seccomp_rule_add(ctx, deny, m.nr, 1,
                             scmp_arg_cmp{m.arg, SCMP_CMP_MASKED_EQ, bit, bit}),
            "rule setid mode");
    for (const auto& m : creating)
      for (scmp_datum_t flag : {scmp_datum_t{O_CREAT}, scmp_datum_t{__O_TMPFILE}})
        check(seccomp_rule_add(ctx, deny, m.nr, 2,
                               scmp_arg_cmp{m.arg - 1, SCMP_CMP_MASKED_EQ, flag, flag},
                               scmp_arg_cmp{m.arg, SCMP_CMP_MASKED_EQ, bit, bit}),
              "rule setid create");
  }
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0), "rule openat2");
  int fchmodat2 = seccomp_syscall_resolve_name("fchmodat2");
  if (fchmodat2 != __NR_SCMP_ERROR)
    check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), fchmodat2, 0), "rule fchmodat2");
}

// Rule numbers are the native ABI's; libseccomp maps them to each ABI of ctx.
void add_rules(scmp_filter_ctx ctx, bool socket_rules, bool single_id, bool no_setid) {
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

  // Typing into the terminal's input queue would reach the caller's shell; a
  // changed line discipline outlives the sandbox and leaves the terminal dead.
  for (unsigned long request :
       {(unsigned long)TIOCSTI, (unsigned long)TIOCLINUX, (unsigned long)TIOCSETD})
    check(seccomp_rule_add(ctx, deny, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, kLow32, request)),
          "rule ioctl");

  add_personality_rules(ctx);
  if (socket_rules) add_offline_socket_rules(ctx);
  if (no_setid) add_no_setid_rules(ctx);
}

// The x86 ABI of an i386 sandbox, with every rule but the socket families:
// libseccomp would also refuse socketcall(2)'s SYS_SOCKET, whose arguments sit
// in memory out of a filter's reach, and glibc's i386 socket() goes through
// socketcall, so every socket would fail, AF_UNIX too. Such a sandbox offline
// keeps the network namespace with only `lo` as its one wall against the
// internet; packet sockets still need CAP_NET_RAW, which no command keeps.
void add_x86_abi(scmp_filter_ctx ctx, bool single_id, bool no_setid) {
  Ctx x86 = new_context();
  check(seccomp_arch_remove(x86.get(), SCMP_ARCH_NATIVE), "remove the native ABI");
  check(seccomp_arch_add(x86.get(), SCMP_ARCH_X86), "add the x86 ABI");
  add_rules(x86.get(), false, single_id, no_setid);
  check(seccomp_merge(ctx, x86.get()), "merge the x86 ABI");
  (void)x86.release();  // seccomp_merge took it
}

}  // namespace

namespace {

const PrecompiledSeccomp* precompiled = nullptr;
std::size_t precompiled_count = 0;

}  // namespace

void use_precompiled_seccomp(const PrecompiledSeccomp* programs, std::size_t count) {
  precompiled = programs;
  precompiled_count = count;
}

std::size_t precompiled_seccomp_count() { return precompiled_count; }

std::string compile_seccomp(const SeccompPolicy& policy) {
  std::string arch = policy.arch.empty() ? native_debian_arch() : policy.arch;
  for (std::size_t i = 0; i < precompiled_count; ++i) {
    const SeccompPolicy& p = precompiled[i].policy;
    if (p.arch == arch && p.network == policy.network && p.single_id == policy.single_id &&
        p.no_setid_files == policy.no_setid_files)
      return std::string(precompiled[i].program);
  }
  return compile_seccomp_now(policy);
}

std::string compile_seccomp_now(const SeccompPolicy& policy) {
  bool second_abi = !policy.arch.empty() && policy.arch != native_debian_arch();
  if (second_abi && !runs_as_linux32(policy.arch))
    throw_input(fmt::format("a sandbox here cannot run {} programs (it runs {})", policy.arch,
                            fmt::join(runnable_debian_arches(), ", ")));
  Ctx ctx = new_context();
  add_rules(ctx.get(), !policy.network, policy.single_id, policy.no_setid_files);
  if (second_abi) add_x86_abi(ctx.get(), policy.single_id, policy.no_setid_files);

  UniqueFd mem(::memfd_create("cleanroom-seccomp", MFD_CLOEXEC));
  if (!mem) throw_errno("seccomp: memfd_create", errno, ErrorKind::Environment);
  check(seccomp_export_bpf(ctx.get(), mem.get()), "export");
  if (::lseek(mem.get(), 0, SEEK_SET) < 0) throw_errno("seccomp: lseek");
  std::string bpf = read_all(mem.get(), "seccomp program");
  if (bpf.empty() || bpf.size() % 8 != 0) throw_environment("seccomp: exported program is malformed");
  return bpf;
}

}  // namespace cleanroom::sandbox
