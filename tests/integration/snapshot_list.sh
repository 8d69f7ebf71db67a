#!/bin/sh
# The fixture's bookworm snapshot is listed, resolvable by name, id and prefix,
# described as JSON, and unknown names fail with the list of what exists.
. "$CLEANROOM_TEST_LIB"

out=$(cr snapshot list)
assert_contains "$(echo "$out" | head -n1)" "NAME" "list has a header"
row=$(echo "$out" | awk '$1 == "bookworm"')
assert_contains "$row" "bookworm" "list shows the bookworm snapshot"

cr snapshot list --json > "$SCRATCH/list.json"
id=$(python3 -c 'import json,sys; d=[s for s in json.load(open(sys.argv[1])) if "bookworm" in s["names"]]; print(d[0]["id"])' "$SCRATCH/list.json")
assert_eq 64 "${#id}" "the JSON list gives a full sha256 id"
short=$(echo "$id" | cut -c1-12)
assert_contains "$row" "$short" "the text list shows the id's first 12 digits"
deb=$(python3 -c 'import json,sys; print([s for s in json.load(open(sys.argv[1])) if "bookworm" in s["names"]][0]["deb_compression"])' "$SCRATCH/list.json")
assert_eq xz "$deb" "bookworm's .debs are xz, as in Debian's archive"

# The archive hashes to the id: the store is content-addressed.
sum=$(sha256sum "$CLEANROOM_TEST_STORE/snapshots/$id/snapshot.tar.zst" | cut -d' ' -f1)
assert_eq "$id" "$sum" "snapshot.tar.zst hashes to the id"

# The snapshot holds what the fixture asked for.
root="$CLEANROOM_TEST_STORE/snapshots/$id/root"
[ -x "$root/usr/bin/python3" ] || fail "python3 missing from the snapshot"
[ -d "$root/usr/lib/python3.11/venv" ] || fail "python3-venv missing from the snapshot"
pass "python3 and venv are in the snapshot"
[ -z "$(ls "$root/var/lib/apt/lists" | grep _ || true)" ] || fail "apt lists were left in the snapshot"
assert_eq "cleanroom" "$(cat "$root/etc/hostname")" "the host's hostname did not leak in"
pass "volatile bootstrap files are cleaned"

assert_eq 0 "$(status_of cr snapshot verify "$short")" "a 12-digit prefix resolves"
assert_eq 0 "$(status_of cr snapshot verify "$id")" "a full id resolves"

err=$(cr snapshot verify no-such-snapshot 2>&1 || true)
assert_contains "$err" "no snapshot 'no-such-snapshot'" "unknown name is named"
assert_contains "$err" "bookworm ($short)" "the error lists what exists"
assert_contains "$err" "cleanroom snapshot create SUITE" "the error says how to create one"
assert_eq 2 "$(status_of cr snapshot verify no-such-snapshot)" "unknown name exits 2"
