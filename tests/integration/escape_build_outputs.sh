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

# A 2 GiB sparse file named like a .deb costs the build nothing to make: the
# host must not read it into memory to find out it is no package.
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/evil-output" "$SCRATCH/sparse"
sed -i 's|^\tln -sf /etc/passwd .*|\ttruncate -s 2G ../cleanroom-evil-sparse_1.0_all.deb|; /id_rsa/d' "$SCRATCH/sparse/debian/rules"
grep -q truncate "$SCRATCH/sparse/debian/rules" || fail "the fixture's rules did not take the sparse file"
mkdir "$SCRATCH/out-sparse"
run_rc /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$CLEANROOM" build "$SCRATCH/sparse" \
  --out "$SCRATCH/out-sparse" --no-run-lintian -q 2>"$SCRATCH/err-sparse"
assert_eq 1 "$rc" "a build that leaves a sparse non-package fails"
assert_contains "$(cat "$SCRATCH/err-sparse")" "cleanroom-evil-sparse_1.0_all.deb" "the error names it"
rss_kb=$(tail -n 1 "$SCRATCH/rss")
[ "$rss_kb" -lt 300000 ] || fail "reading a sparse 2 GiB output took $rss_kb KiB of memory"
pass "a sparse 2 GiB output is refused without reading it ($rss_kb KiB peak)"
