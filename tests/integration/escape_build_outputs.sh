#!/bin/sh
# A hostile build plants .deb-named symlinks to host files among its outputs.
# Collection must refuse them (never follow a link out of the build dir): the
# build fails, names the file, and --out receives nothing but the log.
. "$CLEANROOM_TEST_LIB"
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/evil-output" "$SCRATCH/evil"
mkdir "$SCRATCH/out"
run_rc cr build "$SCRATCH/evil" --out "$SCRATCH/out" --no-run-lintian -q 2>"$SCRATCH/err"
assert_eq 1 "$rc" "a build that plants links fails"
assert_contains "$(cat "$SCRATCH/err")" "refusing to follow it" "the error says why"
assert_contains "$(cat "$SCRATCH/err")" "cleanroom-evil-" "the error names the planted file"
assert_eq "cleanroom-evil_1.0_amd64.build" "$(ls "$SCRATCH/out")" "--out holds only the log"
if grep -q '^root:' "$SCRATCH/out"/* 2>/dev/null; then fail "a host file's content reached --out"; fi
pass "no host file content in the outputs"
