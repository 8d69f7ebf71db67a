#!/bin/sh
# Probes from inside `cleanroom run` (offline) at what the seccomp filter must
# read as the kernel does: an inet socket whose family has bits above 32, a
# vsock socket (a channel to a VM's hypervisor), personality(2) with bit 31 set
# or high bits to smuggle READ_IMPLIES_EXEC and ADDR_COMPAT_LAYOUT through, and
# TIOCSETD, whose changed line discipline would outlive the sandbox.
. "$CLEANROOM_TEST_LIB"
out=$(cr run -- python3 - <<'PY'
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def call(nr, *args):
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_ulong(a) for a in args])
    return "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]
SYS_socket, SYS_personality, SYS_ioctl = 41, 135, 16
print("inet-high", call(SYS_socket, 2 | (1 << 32), 1, 0))
print("vsock", call(SYS_socket, 40, 1, 0))
print("exec-bit31", call(SYS_personality, 0x80000000 | 0x0400000))
print("compat-high", call(SYS_personality, (1 << 32) | 0x0200000))
print("tiocsetd", call(SYS_ioctl, 0, 0x5423, 0))
print("unix", call(SYS_socket, 1, 1, 0))
PY
)
assert_contains "$out" "inet-high EPERM" "an inet socket with high bits in its family is refused"
assert_contains "$out" "vsock EPERM" "a vsock socket is refused offline"
assert_contains "$out" "exec-bit31 EPERM" "READ_IMPLIES_EXEC with bit 31 set is refused"
assert_contains "$out" "compat-high EPERM" "ADDR_COMPAT_LAYOUT with high bits is refused"
assert_contains "$out" "tiocsetd EPERM" "the line discipline cannot be changed"
assert_contains "$out" "unix ok" "local sockets still open"
