#!/bin/sh
# Stopping cleanroom stops every sandbox it runs and says so: SIGTERM (a CI
# runner cancelling) and Ctrl-C on a terminal, during `build`, during a
# `verify` whose two builds run at once, and to a batch (`build DIR`) whose
# recipes build in child processes. The exit status is 128+signal, the error
# says "interrupted by SIG...", no process of the builds is left, no .deb is
# published and nothing after the stopped step starts (no bisect).
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
command -v script >/dev/null || fail "script(1) (package bsdutils) is needed"

# hello-c whose build sleeps first: the sleep's command line is the marker.
marker="4321.$$"
cp -a "$FIXTURES/hello-c" "$SCRATCH/slow"
printf '\noverride_dh_auto_build:\n\tsleep %s\n\tdh_auto_build\n' "$marker" >>"$SCRATCH/slow/debian/rules"
# Prepare the dependency layer now, so that each run below reaches the sleep fast.
cr build "$FIXTURES/hello-c" --out "$SCRATCH/warm" --no-run-lintian -q >/dev/null

sleeps() { pgrep -fc "^sleep $marker" || true; }
wait_for_sleeps() { # count
  for _ in $(seq 600); do
    [ "$(sleeps)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "the build(s) never reached dpkg-buildpackage"
}
# Waits for FAULT_PID to end, at most 60 s (a sandbox that missed the signal
# would keep it waiting), and sets rc to its exit status.
wait_exit() {
  for _ in $(seq 600); do kill -0 "$FAULT_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$FAULT_PID" 2>/dev/null; then
    kill -KILL "$FAULT_PID"
    fail "cleanroom did not end within 60 s of the signal"
  fi
  run_rc wait "$FAULT_PID"
}
assert_stopped() { # what
  for _ in $(seq 50); do [ "$(sleeps)" -eq 0 ] && break; sleep 0.1; done
  assert_eq 0 "$(sleeps)" "$1: no process of the build is left"
}

# 1. SIGTERM to `cleanroom build`.
fault_start "$SCRATCH/term.log" build "$SCRATCH/slow" --out "$SCRATCH/out-term" --no-run-lintian -q
wait_for_sleeps 1
kill -TERM "$FAULT_PID"
wait_exit
assert_eq 143 "$rc" "SIGTERM: exit 128+15"
assert_contains "$(cat "$SCRATCH/term.log")" "step build failed: interrupted by SIGTERM" "SIGTERM: the error says so"
assert_stopped "SIGTERM"
assert_eq "" "$(find "$SCRATCH/out-term" -name '*.deb')" "SIGTERM: no .deb published"
[ -f "$SCRATCH/out-term/cleanroom-hello_1.0_amd64.build" ] || fail "SIGTERM: the build log was not kept"

# 2. Ctrl-C on a terminal: the build steps run in a session of their own,
# which the terminal's SIGINT reaches only through cleanroom's helper.
ctrl_c_build() {
  (wait_for_sleeps 1; printf '\003'; sleep 3) |
    timeout 60 script -qec "$CLEANROOM build $SCRATCH/slow --out $SCRATCH/out-int --no-run-lintian -q" /dev/null 2>&1
}
capture_stdout ctrl_c_build
assert_eq 130 "$rc" "Ctrl-C: exit 128+2"
assert_contains "$out" "interrupted by SIGINT" "Ctrl-C: the error says so"
assert_stopped "Ctrl-C"

# 3. SIGTERM to `cleanroom verify --bisect` while both builds run: one thread
# reads the signal, both sandboxes must get it, and no bisect may start.
fault_start "$SCRATCH/verify.log" verify "$SCRATCH/slow" --bisect
wait_for_sleeps 2
kill -TERM "$FAULT_PID"
wait_exit
assert_eq 143 "$rc" "verify, SIGTERM: exit 128+15"
assert_contains "$(cat "$SCRATCH/verify.log")" "cleanroom: error: interrupted by SIGTERM" \
  "verify, SIGTERM: the error says so"
assert_stopped "verify, SIGTERM: both builds stopped"
if grep -q "bisect" "$SCRATCH/verify.log"; then fail "a bisect started after the stop"; fi
pass "no bisect after the stop"

# 4. A batch (`build DIR`) runs each recipe as a child `cleanroom build`:
# SIGTERM to the batch alone must stop the child's build too. The one recipe
# is a wheelhouse whose only sdist sleeps in its setup.py.
p="slow-0.1.0"
mkdir -p "$SCRATCH/batch/wh/sources"
setuptools_project "$SCRATCH/src/$p" slow
printf 'import subprocess\nsubprocess.run(["sleep", "%s"])\nfrom setuptools import setup\nsetup()\n' \
  "$marker" >"$SCRATCH/src/$p/setup.py"
tar -C "$SCRATCH/src" -czf "$SCRATCH/batch/wh/sources/$p.tar.gz" "$p"
cat >"$SCRATCH/batch/wh/recipe.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "interrupt-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = ["slow"]
TOML
fault_start "$SCRATCH/batch.log" build "$SCRATCH/batch" --out "$SCRATCH/out-batch"
wait_for_sleeps 1
kill -TERM "$FAULT_PID"
wait_exit
assert_stopped "batch, SIGTERM: the child build stopped"
for _ in $(seq 50); do pgrep -f "cleanroom build $SCRATCH/batch/wh" >/dev/null || break; sleep 0.1; done
if pgrep -f "cleanroom build $SCRATCH/batch/wh" >/dev/null; then fail "the batch's child build survived"; fi
pass "batch, SIGTERM: no child cleanroom left"
