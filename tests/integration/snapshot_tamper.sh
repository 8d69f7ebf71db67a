#!/bin/sh
# verify names every file changed, added or removed in an unpacked root, and a
# changed snapshot.tar.zst, and exits 1; an untouched snapshot exits 0.
# Works on a copy of a few bookworm files in a scratch store, so the shared
# fixture is never touched.
. "$CLEANROOM_TEST_LIB"
store="$SCRATCH/store"

id=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["id"])')
src="$CLEANROOM_TEST_STORE/snapshots/$id/root"
mkdir "$SCRATCH/tree"
cp -a "$src/etc" "$src/bin" "$SCRATCH/tree/"
mkdir -p "$SCRATCH/tree/usr/bin"
cp -a "$src/usr/bin/dpkg" "$src/usr/bin/passwd" "$SCRATCH/tree/usr/bin/"
# The copies keep the store's shifted host owners; the archive gives them as
# the sandbox sees them.
tar -C "$SCRATCH/tree" --owner=0 --group=0 --numeric-owner -cf "$SCRATCH/small.tar" .
cr --store "$store" snapshot import "$SCRATCH/small.tar" --name small >/dev/null
assert_eq 0 "$(status_of cr --store "$store" snapshot verify small)" "a fresh import verifies"

sid=$(cr --store "$store" snapshot list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
cr --store "$store" snapshot export small "$SCRATCH/small.tar.gz"
out=$(cr --store "$SCRATCH/other" snapshot import "$SCRATCH/small.tar.gz" --name again)
assert_contains "$out" "$sid" "a .tar.gz export re-imports to the same id"
root="$store/snapshots/$sid/root"
[ -u "$root/usr/bin/passwd" ] || fail "setuid bit lost on usr/bin/passwd"
pass "setuid bits survive the owner shift"

echo "evil" >> "$root/etc/debian_version"
touch "$root/etc/added-file"
rm "$root/etc/hostname"
chmod 0777 "$root/usr/bin/dpkg"
out=$(cr --store "$store" snapshot verify small 2>&1 || true)
assert_eq 1 "$(status_of cr --store "$store" snapshot verify small)" "tampering exits 1"
assert_contains "$out" "TAMPERED" "verify says the snapshot is tampered"
assert_contains "$out" "etc/debian_version: size" "a changed file is named"
assert_contains "$out" "etc/added-file: added" "an added file is named"
assert_contains "$out" "etc/hostname: removed" "a removed file is named"
assert_contains "$out" "usr/bin/dpkg: mode 0755 -> 0777" "a mode change is named"

# Same size, other bytes: only the hash can tell.
cp "$root/etc/debian_version" "$SCRATCH/dv"
printf 'X' | dd of="$root/etc/debian_version" bs=1 seek=0 conv=notrunc 2>/dev/null
out=$(cr --store "$store" snapshot verify small --json 2>&1 || true)
assert_contains "$out" '"ok": false' "JSON says not ok"

printf 'junk' >> "$store/snapshots/$sid/snapshot.tar.zst"
out=$(cr --store "$store" snapshot verify small 2>&1 || true)
assert_contains "$out" "snapshot.tar.zst hashes to" "a changed archive is named"

# The shared fixture is untouched by all this.
assert_eq 0 "$(status_of cr snapshot verify bookworm)" "bookworm still verifies"

out=$(cr --store "$SCRATCH/other" snapshot rm again)
assert_contains "$out" "removed snapshot $sid" "rm of the last name removes the snapshot"
assert_eq "" "$(find "$SCRATCH/other/snapshots" "$SCRATCH/other/tmp" -mindepth 1)" \
  "nothing is left behind"
