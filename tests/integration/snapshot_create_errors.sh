#!/bin/sh
# Bad input to `snapshot create` fails before anything runs, with exit 2; so does
# a run on a snapshot of an architecture the sandbox cannot run.
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

# A foreign architecture: its programs would die at their first system call in
# the sandbox, so create refuses it before mmdebstrap runs, and a snapshot of
# one that was imported is refused by run with the snapshot named.
err=$(cr snapshot create bookworm --arch i386 2>&1 || true)
assert_contains "$err" "--arch i386: the sandbox runs only amd64 programs" "a foreign --arch is refused"
assert_eq 2 "$(status_of cr snapshot create bookworm --arch i386)" "a foreign --arch exits 2"
root=$(cr --store "$CLEANROOM_TEST_STORE" snapshot list --json |
  python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
mkdir -p "$SCRATCH/i386/var/lib/dpkg" "$SCRATCH/i386/usr/lib" "$SCRATCH/i386/etc"
cp "$root/usr/lib/os-release" "$SCRATCH/i386/usr/lib/"
cp "$root/etc/debian_version" "$SCRATCH/i386/etc/"
sed 's/^Architecture: amd64$/Architecture: i386/' "$root/var/lib/dpkg/status" >"$SCRATCH/i386/var/lib/dpkg/status"
tar -C "$SCRATCH/i386" --owner=0 --group=0 -cf "$SCRATCH/i386.tar" .
cr snapshot import "$SCRATCH/i386.tar" --name foreign >/dev/null
err=$(cr run --snapshot foreign -- true 2>&1 || true)
assert_contains "$err" "snapshot 'foreign' holds i386 programs, but the sandbox runs only amd64 ones" \
  "run names the foreign snapshot"
assert_eq 2 "$(status_of cr run --snapshot foreign -- true)" "run on a foreign snapshot exits 2"
