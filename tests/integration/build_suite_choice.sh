#!/bin/sh
# Which snapshot a Debian source tree builds in: its changelog's suite, as
# sbuild reads it (a pocket like bookworm-security builds in bookworm), never
# silently another one. A suite without a snapshot, or UNRELEASED, is an input
# error naming the fix; -d overrides; the step table names the snapshot used.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
with_distribution() { # name distribution
  cp -a "$FIXTURES/hello-c" "$SCRATCH/$1"
  sed -i "1s/) bookworm;/) $2;/" "$SCRATCH/$1/debian/changelog"
}

with_distribution forky forky
capture cr build "$SCRATCH/forky" --out "$SCRATCH/out-forky" --no-run-lintian
assert_eq 2 "$rc" "a suite without a snapshot is an input error"
assert_contains "$out" "no snapshot 'forky' for debian/changelog's distribution 'forky'" "it says which"
assert_contains "$out" "cleanroom snapshot create forky" "it names the fix"
assert_contains "$out" "-d SNAPSHOT" "and the override"

with_distribution unreleased UNRELEASED
capture cr build "$SCRATCH/unreleased" --out "$SCRATCH/out-unreleased" --no-run-lintian
assert_eq 2 "$rc" "UNRELEASED without -d is an input error"
assert_contains "$out" "names no suite" "it says why"

with_distribution security bookworm-security
capture cr build "$SCRATCH/security" --out "$SCRATCH/out-security" --no-run-lintian
[ "$rc" = 0 ] || fail "bookworm-security did not build: $out"
id=$(cr snapshot list --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if "bookworm" in s["names"]][0][:12])')
assert_contains "$out" "snapshot bookworm ($id)" "a pocket builds in its suite, and the table says so"

capture cr build "$SCRATCH/forky" --out "$SCRATCH/out-forky-d" --no-run-lintian -d bookworm
[ "$rc" = 0 ] || fail "-d bookworm did not override: $out"
assert_contains "$out" "snapshot bookworm ($id)" "-d overrides the changelog"
