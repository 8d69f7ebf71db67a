#!/bin/sh
# Mount-table changes and new namespaces are refused with EPERM (seccomp), so a
# read-only bind stays read-only and the sandbox's view stays the plan's.
. "$CLEANROOM_TEST_LIB"

errno_probe='
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
nr = {"mount": 165, "umount2": 166, "pivot_root": 155, "unshare": 272, "setns": 308,
      "keyctl": 250, "add_key": 248, "bpf": 321, "init_module": 175, "finit_module": 313,
      "kexec_load": 246, "reboot": 169, "perf_event_open": 298, "userfaultfd": 323,
      "open_tree": 428, "fsopen": 430, "io_uring_setup": 425}
out = []
for name in sys.argv[1:]:
    r = libc.syscall(nr[name], 0, 0, 0, 0, 0)
    out.append("%s=%s" % (name, "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]))
print(" ".join(out))
'
calls="mount umount2 pivot_root unshare setns keyctl add_key bpf init_module finit_module kexec_load reboot perf_event_open userfaultfd open_tree fsopen io_uring_setup"
expected=$(for c in $calls; do printf '%s=EPERM ' "$c"; done | sed 's/ $//')
assert_eq "$expected" "$(cr run -- python3 -c "$errno_probe" $calls)" "refused system calls fail with EPERM"
assert_eq "$expected" "$(cr run --network -- python3 -c "$errno_probe" $calls)" "also with --network"

capture cr run -- mount -t tmpfs x /mnt
[ "$rc" -ne 0 ] || fail "mount worked"
assert_contains "$out" "permission denied" "mount(8) is refused"
capture cr run -- unshare -U true
[ "$rc" -ne 0 ] || fail "unshare worked"
assert_contains "$out" "Operation not permitted" "unshare(1) is refused"
out=$(cr run -- python3 -c '
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
print("ok" if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 else errno.errorcode[ctypes.get_errno()])
')
assert_eq "EPERM" "$out" "no new namespace from inside"
