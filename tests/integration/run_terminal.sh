#!/bin/sh
# On a terminal (a pty from script(1)) the command gets it: stdin is a tty,
# TERM passes, Ctrl-C reaches the command once and cleanroom exits with its
# status, and typing into the terminal from inside (TIOCSTI) is refused.
. "$CLEANROOM_TEST_LIB"

command -v script >/dev/null || fail "script(1) (package bsdutils) is needed"
start=$(date +%s)
ctrl_c_run() {
  (sleep 2; printf '\003'; sleep 1) | TERM=xterm-test script -qec \
    "$CLEANROOM run -- sh -c 'echo TERM=\$TERM; test -t 0 && echo tty-in; sleep 30; echo not-interrupted'" /dev/null
}
capture_stdout ctrl_c_run
assert_contains "$out" "TERM=xterm-test" "TERM passes on a terminal"
assert_contains "$out" "tty-in" "stdin is the terminal"
case "$out" in *not-interrupted*) fail "Ctrl-C did not stop the command" ;; esac
assert_eq 130 "$rc" "Ctrl-C: the command's 128+SIGINT"
[ $(($(date +%s) - start)) -lt 20 ] || fail "Ctrl-C took too long"
pass "Ctrl-C stops the command promptly"

out=$(script -qec "$CLEANROOM run -- python3 -c '
import fcntl, termios, errno
try:
    fcntl.ioctl(0, termios.TIOCSTI, b\"x\"); print(\"injected\")
except OSError as e:
    print(errno.errorcode[e.errno])
'" /dev/null </dev/null)
assert_contains "$out" "EPERM" "TIOCSTI on a real terminal is refused"

# An interactive shell has job control: Ctrl-Z stops its foreground job, which
# `jobs` then lists as stopped.
out=$( (sleep 2; printf 'sleep 100\n'; sleep 1; printf '\032'; sleep 0.5
        printf 'jobs\nkill -9 %%1\nexit\n'; sleep 1) |
  script -qec "$CLEANROOM run -- bash --norc -i" /dev/null 2>&1 || true)
case "$out" in *"no job control"*) fail "bash has no job control: $out" ;; esac
case "$out" in *"Stopped"*"sleep 100"*) pass "Ctrl-Z stops the shell's job" ;;
  *) fail "Ctrl-Z did not stop the job: $out" ;; esac
