#!/bin/sh
# Damaged archives on import: bytes flipped in the middle of a .tar.zst, .tar.xz,
# .tar.gz and .tar, and each one truncated at half. Every import fails with exit
# 2 and an error naming the archive, and leaves the store exactly as it was:
# `snapshot list` identical, no new directory under snapshots/, tmp/ empty.
# (snapshot_import_errors.sh covers a truncated .tar.zst, random bytes and
# hostile entries in the shared store.)
. "$CLEANROOM_TEST_LIB"
store="$SCRATCH/store"
root=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
tar -C "$root" --owner=0 --group=0 --numeric-owner -cf "$SCRATCH/good.tar" \
  usr/lib/os-release var/lib/dpkg/status etc usr/sbin
zstd -q -3 -k "$SCRATCH/good.tar" -o "$SCRATCH/good.tar.zst"
xz -1 -T1 -k -c "$SCRATCH/good.tar" > "$SCRATCH/good.tar.xz"
gzip -1 -n -c "$SCRATCH/good.tar" > "$SCRATCH/good.tar.gz"

# A store with one good snapshot in it, to compare against.
cr --store "$store" snapshot import "$SCRATCH/good.tar.zst" --name good >/dev/null
state() {
  cr --store "$store" snapshot list
  (cd "$store" && find snapshots names tmp -maxdepth 1 | sort && cat names/*)
}
before=$(state)

flip_middle() { # in out: 64 bytes from the middle on, each inverted
  python3 - "$1" "$2" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
mid = len(data) // 2
for i in range(mid, mid + 64):
    data[i] ^= 0xFF
open(sys.argv[2], "wb").write(data)
PY
}

for ext in tar.zst tar.xz tar.gz tar; do
  flip_middle "$SCRATCH/good.$ext" "$SCRATCH/flipped.$ext"
  size=$(stat -c %s "$SCRATCH/good.$ext")
  head -c $((size / 2)) "$SCRATCH/good.$ext" > "$SCRATCH/truncated.$ext"
  for kind in flipped truncated; do
    [ "$kind.$ext" = flipped.tar ] && continue  # see below
    capture cr --store "$store" snapshot import "$SCRATCH/$kind.$ext" --name "$kind"
    assert_eq 2 "$rc" "a $kind .$ext exits 2 ($out)"
    assert_contains "$out" "$kind.$ext" "the error names the $kind .$ext"
    assert_eq "$before" "$(state)" "a $kind .$ext leaves the store as it was"
  done
done

# A plain tar has no checksum over file contents, only over each header: a
# flipped header must be refused (flipped content would just be other content).
python3 - "$SCRATCH/good.tar" "$SCRATCH/flipped.tar" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
# The second member's header: after the first header and its padded content.
size = int(data[124:136].rstrip(b"\0 ") or b"0", 8)
second = 512 + (size + 511) // 512 * 512
for i in range(second + 100, second + 108):  # its mode field
    data[i] ^= 0xFF
open(sys.argv[2], "wb").write(data)
PY
capture cr --store "$store" snapshot import "$SCRATCH/flipped.tar" --name flipped
assert_eq 2 "$rc" "a .tar with a damaged header exits 2 ($out)"
assert_eq "$before" "$(state)" "a damaged .tar header leaves the store as it was"

assert_eq 0 "$(status_of cr --store "$store" snapshot verify)" "the good snapshot still verifies"
