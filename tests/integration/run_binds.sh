#!/bin/sh
# --bind: read-write binds write through to the host, read-only ones refuse
# writes and cannot be remounted writable.
. "$CLEANROOM_TEST_LIB"

mkdir -p "$SCRATCH/rw" "$SCRATCH/ro"
echo host > "$SCRATCH/ro/file"
cr run --bind "$SCRATCH/rw:/data" -- sh -c 'echo written > /data/out'
assert_eq "written" "$(cat "$SCRATCH/rw/out")" "rw bind writes to the host"
capture cr run --bind "$SCRATCH/ro:/data:ro" -- sh -c 'echo x > /data/file'
[ "$rc" -ne 0 ] || fail "write to a ro bind succeeded"
assert_contains "$out" "Read-only file system" "ro bind refuses writes with EROFS"
assert_eq "host" "$(cat "$SCRATCH/ro/file")" "ro bind source unchanged"

capture cr run --bind "$SCRATCH/ro:/data:ro" -- sh -c 'mount -o remount,rw /data; mount -o remount,bind,rw /data; echo x > /data/file'
[ "$rc" -ne 0 ] || fail "remounting a ro bind rw worked"
assert_contains "$out" "Read-only file system" "still read-only after remount attempts"
assert_eq "host" "$(cat "$SCRATCH/ro/file")" "ro bind source still unchanged"

assert_eq "host" "$(cr run --bind "$SCRATCH/ro/file:/etc/hostfile:ro" -- cat /etc/hostfile)" "file binds"
assert_eq 2 "$(status_of cr run --bind "$SCRATCH/missing:/x" -- true)" "missing bind source: exit 2"
assert_eq 2 "$(status_of cr run --bind "$SCRATCH/rw:relative" -- true)" "relative bind target: exit 2"

# As root the bind is id-mapped: the host's root files are the sandbox root's,
# and what the sandbox's root writes belongs to the host's root, not to the
# store's unprivileged range.
require_root "id-mapped binds of the caller's own files"
assert_eq "0" "$(stat -c %u "$SCRATCH/rw/out")" "files written by the sandbox's root belong to the caller"
assert_eq "0 0" "$(cr run --bind "$SCRATCH/rw:/data" -- stat -c '%u %g' /data)" "the caller's files show as root's"
# A directory already owned by the store's range (a build tree) is bound as
# it is: no id mapping on top.
base=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id_map"]["host_uid_base"])' \
  "$CLEANROOM_STORE/store.json")
mkdir "$SCRATCH/ranged"
chown "$base:$base" "$SCRATCH/ranged"
assert_eq "0" "$(cr run --bind "$SCRATCH/ranged:/r" -- sh -c 'touch /r/f && stat -c %u /r/f')" \
  "a tree in the store's range is the sandbox root's"
assert_eq "$base" "$(stat -c %u "$SCRATCH/ranged/f")" "and stays in the store's range on the host"
