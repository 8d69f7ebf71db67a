#!/bin/sh
# Two imports of the same archive at once both succeed and store one snapshot
# that both names point at.
. "$CLEANROOM_TEST_LIB"
store="$SCRATCH/store"
# A part of bookworm (about 100 MB): big enough to take seconds, small enough
# to keep the test short on two shared cores.
root=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
tar -C "$root" --owner=0 --group=0 --numeric-owner --zstd -cf "$SCRATCH/b.tar.zst" \
  etc usr/bin usr/lib/python3.11 usr/lib/os-release var/lib/dpkg/status

cr --store "$store" snapshot list >/dev/null  # the store exists before the race
"$CLEANROOM" --store "$store" snapshot import "$SCRATCH/b.tar.zst" --name one >"$SCRATCH/one" 2>&1 &
p1=$!
"$CLEANROOM" --store "$store" snapshot import "$SCRATCH/b.tar.zst" --name two >"$SCRATCH/two" 2>&1 &
p2=$!
rc1=0; wait "$p1" || rc1=$?
rc2=0; wait "$p2" || rc2=$?
assert_eq 0 "$rc1" "first import succeeds ($(cat "$SCRATCH/one"))"
assert_eq 0 "$rc2" "second import succeeds ($(cat "$SCRATCH/two"))"
id=$(ls "$store/snapshots")
assert_eq 64 "${#id}" "one snapshot"
assert_eq "$id" "$(cat "$store/names/one")" "name one points at it"
assert_eq "$id" "$(cat "$store/names/two")" "name two points at it"
assert_eq "" "$(find "$store/tmp" -mindepth 1)" "no work dirs are left"
assert_eq 0 "$(status_of cr --store "$store" snapshot verify one two)" "it verifies"

# Imported without --suite: the tree says what it is.
info=$(cr --store "$store" snapshot list --json | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; print(s["suite"], s["arch"] != "", s["deb_compression"])')
assert_eq "bookworm True xz" "$info" "suite, arch and .deb compression are read from the tree"
