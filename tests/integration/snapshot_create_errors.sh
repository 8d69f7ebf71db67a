#!/bin/sh
# Bad input to `snapshot create` fails before anything runs, with exit 2.
. "$CLEANROOM_TEST_LIB"
export CLEANROOM_STORE="$SCRATCH/store"

err=$(cr snapshot create jessie 2>&1 || true)
assert_contains "$err" "unknown suite 'jessie'" "unknown suite is named"
assert_contains "$err" "known suites: bookworm, bullseye, buster, sid, stretch, trixie" \
  "the error lists the known suites"
assert_eq 2 "$(status_of cr snapshot create jessie)" "unknown suite exits 2"
assert_eq 2 "$(status_of cr snapshot create bookworm --name ../x)" "bad name exits 2"
assert_eq 2 "$(status_of cr snapshot create bookworm --include 'Bad_Name')" \
  "bad package name exits 2"
assert_eq "" "$(find "$CLEANROOM_STORE/snapshots" "$CLEANROOM_STORE/names" -mindepth 1 2>/dev/null)" "nothing was stored"
