#!/bin/sh
# scripts/demo, which scripts/setup ends with: the example release is built
# (wheelhouse, then the venvs with their smoke tests), one venv verified,
# everything published and installed with apt; the table names every package
# with its size and time, and a second run reuses every build.
. "$CLEANROOM_TEST_LIB"
OUT="$SCRATCH/out"
# A copy of the checkout's recipes, so the sdists land in the scratch directory.
C="$SCRATCH/checkout"
mkdir -p "$C/tests/data"
cp -R "$CLEANROOM_SOURCE_DIR/recipes" "$CLEANROOM_SOURCE_DIR/scripts" "$C/"
cp -R "$CLEANROOM_SOURCE_DIR/tests/data/python" "$C/tests/data/"
rm -rf "$C/recipes/demo-wheelhouse/sources"

"$C/scripts/demo" "$CLEANROOM" "$OUT" > "$SCRATCH/run1.txt" 2>&1 ||
  { cat "$SCRATCH/run1.txt" >&2; fail "the demo workflow failed"; }
row() { awk -v p="$1" '$1 ~ "^" p "_" {print $4, $5}' "$2"; }
for p in demo-wheelhouse greet-svc hello-cli; do
  [ -f "$(ls "$OUT/${p}"_*.deb)" ] || fail "no $p .deb"
  grep -q "^${p}_.* K " "$SCRATCH/run1.txt" || fail "the table lacks $p: $(cat "$SCRATCH/run1.txt")"
done
assert_eq "-" "$(row greet-svc "$SCRATCH/run1.txt" | awk '{print $2}')" "greet-svc is not claimed verified"
assert_eq "yes" "$(row hello-cli "$SCRATCH/run1.txt" | awk '{print $2}')" "hello-cli is verified reproducible"
grep -q "Setting up greet-svc" "$OUT/demo.log" || fail "apt did not install greet-svc: $(tail "$OUT/demo.log")"
grep -q "^greet-svc 1.0.0$" "$OUT/demo.log" || fail "the installed greet-svc did not run"
[ -f "$OUT/repo/dists/bookworm-demo/Release" ] || fail "no staging repository"
pass "the demo builds, verifies, publishes and installs the example release"

# Debian's own checker accepts the example packages: no error from lintian.
lintian "$OUT"/*.deb > "$SCRATCH/lintian.txt" 2>&1 || true
if grep '^E: ' "$SCRATCH/lintian.txt"; then fail "lintian finds errors in the example packages"; fi
grep -q '^W: ' "$SCRATCH/lintian.txt" || fail "lintian did not run: $(cat "$SCRATCH/lintian.txt")"
pass "lintian reports no error on the example wheelhouse and venvs"

"$C/scripts/demo" "$CLEANROOM" "$OUT" > "$SCRATCH/run2.txt" 2>&1 ||
  { cat "$SCRATCH/run2.txt" >&2; fail "the second demo run failed"; }
for p in demo-wheelhouse greet-svc hello-cli; do
  assert_eq reused "$(row "$p" "$SCRATCH/run2.txt" | awk '{print $1}')" "a second run reuses $p"
done
