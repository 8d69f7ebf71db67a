#!/bin/sh
# Host processes are out of reach (own pid namespace): no kill, no ptrace. A
# process left behind dies with the run; a fork bomb is held by RLIMIT_NPROC.
. "$CLEANROOM_TEST_LIB"

marker="cleanroom-escape-$$-victim"
bash -c "exec -a $marker sleep 300" &
victim=$!
trap 'kill $victim 2>/dev/null; cleanup_scratch' EXIT
out=$(cr run -- python3 -c "
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
r = []
try:
    os.kill($victim, 9); r.append('kill=ok')
except OSError as e:
    r.append('kill=' + errno.errorcode[e.errno])
res = libc.ptrace(16, $victim, 0, 0)  # PTRACE_ATTACH
r.append('ptrace=' + ('ok' if res == 0 else errno.errorcode[ctypes.get_errno()]))
print(' '.join(r))
")
assert_eq "kill=ESRCH ptrace=ESRCH" "$out" "host processes cannot be signalled or traced"
kill -0 "$victim" || fail "the host process died"
pass "the host process is alive"

# A daemon the command leaves behind dies with the sandbox's pid 1.
left="cleanroom-escape-$$-left"
cr run -- sh -c "setsid bash -c 'exec -a $left sleep 300' </dev/null >/dev/null 2>&1 & sleep 0.3; exit 0"
sleep 0.2
if pgrep -f "^$left" >/dev/null; then fail "a process outlived the run: $(pgrep -af "^$left")"; fi
pass "no process outlives the run"

# A fork bomb stops at the process limit instead of taking the machine.
out=$(cr run --rlimit nproc=64 --timeout 60 -- python3 -c '
import os, errno, time
n = 0
try:
    while n < 1000:
        if os.fork() == 0:
            time.sleep(30); os._exit(0)
        n += 1
    print("unbounded", n)
except OSError as e:
    print("held", errno.errorcode[e.errno], "below" if n < 64 else "at", 64)
')
assert_eq "held EAGAIN below 64" "$out" "fork bomb held by RLIMIT_NPROC"
