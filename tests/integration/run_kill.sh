#!/bin/sh
# kill -9 of cleanroom mid-run leaves no process and no mount on the host;
# SIGTERM to cleanroom reaches the command.
. "$CLEANROOM_TEST_LIB"

marker="cleanroom-kill-$$-marker"
mounts_before=$(wc -l < /proc/self/mountinfo)
# Started directly (not through the cr function) so $! is cleanroom itself.
"$CLEANROOM" run -- bash -c "bash -c 'exec -a $marker sleep 300' & exec -a $marker sleep 300" &
pid=$!
for _ in $(seq 100); do pgrep -f "^$marker" >/dev/null && break; sleep 0.1; done
[ "$(pgrep -fc "^$marker")" -ge 2 ] || fail "the marker processes did not start"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
for _ in $(seq 50); do pgrep -f "^$marker" >/dev/null || break; sleep 0.1; done
if pgrep -f "^$marker" >/dev/null; then fail "processes survived kill -9 of cleanroom: $(pgrep -af "^$marker")"; fi
pass "kill -9 of cleanroom: no process left"
if pgrep -x cleanroom-sandb >/dev/null; then
  # Another test's helper may be running; only ours must be gone.
  for p in $(pgrep -x cleanroom-sandb); do
    [ "$(ps -o ppid= -p "$p" | tr -d ' ')" != "$pid" ] || fail "helper $p survived"
  done
fi
pass "the helper is gone"
assert_eq "$mounts_before" "$(wc -l < /proc/self/mountinfo)" "host mount table unchanged"
grep -q oldroot /proc/self/mountinfo && fail "a sandbox mount shows on the host"
pass "no sandbox mount on the host"

# SIGTERM sent to cleanroom is passed on; the command's trap runs.
"$CLEANROOM" run -- sh -c 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.1; done' > "$SCRATCH/out" &
pid=$!
for _ in $(seq 100); do grep -q ready "$SCRATCH/out" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$pid"
run_rc wait "$pid"
assert_eq 7 "$rc" "SIGTERM forwarded: the command's trap decides the exit"
assert_contains "$(cat "$SCRATCH/out")" "got-term" "the command saw SIGTERM"

# The command's exit ends the sandbox: what it left running in the background
# (as root or after changing uid) is dead by the time cleanroom returns, not
# merely on its way out.
marker="cleanroom-left-$$-marker"
run_rc "$CLEANROOM" run -- sh -c "(exec -a $marker sleep 300) & setpriv --reuid 1000 --regid 1000 --clear-groups sh -c '(exec -a $marker sleep 300) &'; exit 5"
assert_eq 5 "$rc" "the command's exit code, with processes left behind"
if pgrep -f "^$marker" >/dev/null; then fail "background processes outlived the run: $(pgrep -af "^$marker")"; fi
pass "background processes are dead when cleanroom returns"
