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
# (i386 runs beside amd64: build_i386.)
err=$(cr snapshot create bookworm --arch armhf 2>&1 || true)
assert_contains "$err" "--arch armhf: a sandbox here runs only amd64 or i386 programs" "a foreign --arch is refused"
assert_eq 2 "$(status_of cr snapshot create bookworm --arch armhf)" "a foreign --arch exits 2"
# i386 needs the kernel's 32-bit entry: asked of arch-test first (here a stand-in
# that says no), so the error is the kernel's, exit 3, before mmdebstrap runs.
mkdir "$SCRATCH/bin"
printf '#!/bin/sh\necho "$1: not supported on this machine/kernel"\nexit 1\n' >"$SCRATCH/bin/arch-test"
chmod +x "$SCRATCH/bin/arch-test"
err=$(PATH="$SCRATCH/bin:$PATH" cr snapshot create bookworm --arch i386 2>&1 || true)
assert_contains "$err" "this kernel cannot run i386 programs (arch-test: i386: not supported on this machine/kernel)" \
  "a kernel without 32-bit support is named"
assert_eq 3 "$(PATH="$SCRATCH/bin:$PATH" status_of cr snapshot create bookworm --arch i386)" "and exits 3"
root=$(cr --store "$CLEANROOM_TEST_STORE" snapshot list --json |
  python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
mkdir -p "$SCRATCH/armhf/var/lib/dpkg" "$SCRATCH/armhf/usr/lib" "$SCRATCH/armhf/etc"
cp "$root/usr/lib/os-release" "$SCRATCH/armhf/usr/lib/"
cp "$root/etc/debian_version" "$SCRATCH/armhf/etc/"
sed 's/^Architecture: amd64$/Architecture: armhf/' "$root/var/lib/dpkg/status" >"$SCRATCH/armhf/var/lib/dpkg/status"
tar -C "$SCRATCH/armhf" --owner=0 --group=0 -cf "$SCRATCH/armhf.tar" .
cr snapshot import "$SCRATCH/armhf.tar" --name foreign >/dev/null
err=$(cr run --snapshot foreign -- true 2>&1 || true)
assert_contains "$err" "snapshot 'foreign' holds armhf programs, but a sandbox here runs only amd64 or i386 ones" \
  "run names the foreign snapshot"
assert_eq 2 "$(status_of cr run --snapshot foreign -- true)" "run on a foreign snapshot exits 2"
