#!/bin/sh
# A name moves to a snapshot of other content only when asked: import (as
# create) refuses with exit 2 naming --force and changes nothing; with --force
# it says old id -> new id. gc lists what it removes, keeps unnamed snapshots
# younger than the grace period (saying why), and removes any unnamed one with
# --yes. Named snapshots never go. A store of this test's own, from three tiny
# trees.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
store="$SCRATCH/store"
fault_small_archive "$SCRATCH/a.tar"
for v in b c; do
  mkdir -p "$SCRATCH/$v/etc"
  echo "$v" >"$SCRATCH/$v/etc/variant"
  cp "$SCRATCH/a.tar" "$SCRATCH/$v.tar"
  tar -C "$SCRATCH/$v" --owner=0 --group=0 --numeric-owner -rf "$SCRATCH/$v.tar" etc/variant
done
s() { cr --store "$store" snapshot "$@"; }
id_of() { s list --json | python3 -c 'import json,sys; print([x["id"] for x in json.load(sys.stdin) if sys.argv[1] in x["names"]][0])' "$1"; }
ids() { s list --json | python3 -c 'import json,sys; print(" ".join(sorted(x["id"] for x in json.load(sys.stdin))))'; }

s import "$SCRATCH/a.tar" --name x >/dev/null
a=$(id_of x)
s import "$SCRATCH/a.tar" --name x >/dev/null || fail "importing the same content under its own name was refused"
pass "the same content again needs no --force"

capture s import "$SCRATCH/b.tar" --name x
assert_eq 2 "$rc" "a name on other content is refused"
assert_contains "$out" "snapshot name 'x' already names snapshot $(echo "$a" | cut -c1-12)" "the refusal names the snapshot"
assert_contains "$out" "--force" "the refusal names --force"
assert_eq "$a" "$(id_of x)" "the refused import left the name"
assert_eq "$a" "$(ids)" "the refused import stored nothing"

capture s import "$SCRATCH/b.tar" --name x --force
assert_eq 0 "$rc" "--force moves the name"
b=$(id_of x)
assert_contains "$out" "moved name 'x': $a -> $b" "--force says old id -> new id"

capture s gc
assert_eq 0 "$rc" "gc within the grace period succeeds"
assert_contains "$out" "keeping unnamed snapshot $a" "gc names the young unnamed snapshot it keeps"
assert_contains "$out" "nothing to remove: no unnamed snapshot is older than the grace period" "gc says why it removes nothing"
[ -d "$store/snapshots/$a" ] || fail "gc removed an unnamed snapshot within the grace period"
pass "the old snapshot is still there"

assert_eq 2 "$(status_of s gc --grace 12)" "a grace without a unit is refused"
capture s gc --grace 0s
assert_contains "$out" "will remove unnamed snapshot $a" "gc lists what it removes"
assert_contains "$out" "removed snapshot $a" "past a grace of 0s the unnamed snapshot goes"
assert_eq "$b" "$(ids)" "the named snapshot stays"

s import "$SCRATCH/c.tar" --name x --force >/dev/null
c=$(id_of x)
capture s gc --grace 1d --yes
assert_contains "$out" "removed snapshot $b" "--yes removes an unnamed snapshot whatever its age"
assert_eq "$c" "$(ids)" "only the named snapshot is left"
assert_contains "$(s gc)" "nothing to remove: every snapshot has a name" "gc with nothing unnamed says so"
