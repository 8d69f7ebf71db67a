#!/bin/sh
# The lintian step: with lintian in the build root (here through Build-Depends,
# so it lands in the dependency layer) it runs on the normalized .debs, its
# report goes into the .build log, and it finds nothing wrong with the format
# of the .debs cleanroom writes (the suite's compression, member order, owners).
. "$CLEANROOM_TEST_LIB"
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/hello-c" "$SCRATCH/src"
sed -i 's/^Build-Depends: debhelper-compat (= 13)$/Build-Depends: debhelper-compat (= 13), lintian/' \
  "$SCRATCH/src/debian/control"
grep -q 'lintian$' "$SCRATCH/src/debian/control" || fail "could not add lintian to Build-Depends"
cr build "$SCRATCH/src" --out "$SCRATCH/out" 2>"$SCRATCH/table" >/dev/null ||
  { cat "$SCRATCH/table" >&2; fail "the build failed"; }
assert_contains "$(grep '^lintian ' "$SCRATCH/table")" "ok" "the lintian step ran"
log="$SCRATCH/out/cleanroom-hello_1.0_amd64.build"
# The fixture has no manual page: lintian says so, in the log.
assert_contains "$(cat "$log")" "W: cleanroom-hello: no-manual-page" "its report is in the .build log"
grep -E '^[EW]: ' "$log" > "$SCRATCH/tags" || true
if grep -E 'malformed-deb-archive|wrong-file-owner|control-file-has-bad-permissions|unknown-control-file|timestamp' "$SCRATCH/tags"; then
  fail "lintian finds fault with the .deb format: $(cat "$SCRATCH/tags")"
fi
pass "lintian has nothing to say about the .deb format"

# Without lintian in the build root the step has nothing to run: the table
# says skipped, with why, not ok.
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/hello-c" "$SCRATCH/plain"
cr build "$SCRATCH/plain" --out "$SCRATCH/plain-out" 2>"$SCRATCH/plain-table" >/dev/null ||
  { cat "$SCRATCH/plain-table" >&2; fail "the build without lintian failed"; }
line=$(grep '^lintian ' "$SCRATCH/plain-table")
assert_contains "$line" "skipped" "a lintian step without lintian shows as skipped"
assert_contains "$line" "lintian is not in the build root" "and says why"
