#!/bin/sh
# A hostile build plants .deb-named symlinks to host files among its outputs.
# Collection must refuse them (never follow a link out of the build dir): the
# build fails, names the file, and --out receives nothing but the log. A FIFO
# named like a .deb is refused at once, not waited on.
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

# A FIFO named like a .deb: collection must not block on it (it would wait
# forever for a writer) but refuse it at once.
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/evil-output" "$SCRATCH/fifo"
sed -i 's|^\tln -sf /etc/passwd .*|\tmkfifo ../cleanroom-evil-fifo_1.0_all.deb|; /id_rsa/d' "$SCRATCH/fifo/debian/rules"
grep -q mkfifo "$SCRATCH/fifo/debian/rules" || fail "the fixture's rules did not take the FIFO"
mkdir "$SCRATCH/out-fifo"
run_rc timeout 300 "$CLEANROOM" build "$SCRATCH/fifo" --out "$SCRATCH/out-fifo" --no-run-lintian -q 2>"$SCRATCH/err-fifo"
[ "$rc" != 124 ] || fail "collection hung on a FIFO among the outputs"
assert_eq 1 "$rc" "a build that plants a FIFO fails"
assert_contains "$(cat "$SCRATCH/err-fifo")" "cleanroom-evil-fifo_1.0_all.deb" "the error names the FIFO"
assert_contains "$(cat "$SCRATCH/err-fifo")" "FIFO" "and says what it is"
