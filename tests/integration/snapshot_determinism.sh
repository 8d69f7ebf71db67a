#!/bin/sh
# Two creations of the same suite from the same mirror state with the same
# SOURCE_DATE_EPOCH give the same id. Uses the small "essential" variant in two
# scratch stores (one store would simply reuse the first snapshot), so the
# cost is two short mmdebstrap runs, not two buildd chroots.
# (A mirror update landing between the two runs would make them differ; the
# runs are a minute apart, Debian's mirror pushes four times a day.)
# needs no snapshot
. "$CLEANROOM_TEST_LIB"
export SOURCE_DATE_EPOCH=1700000000

create() { # store name
  cr --store "$1" snapshot create bookworm --variant essential --name "$2" --json \
    > "$SCRATCH/$2.json" 2> "$SCRATCH/$2.log" || { cat "$SCRATCH/$2.log" >&2; fail "create $2"; }
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$SCRATCH/$2.json"
}
id1=$(create "$SCRATCH/s1" first)
id2=$(create "$SCRATCH/s2" second)
assert_eq 64 "${#id1}" "the first creation gives an id"
assert_eq "$id1" "$id2" "the same inputs give the same id"

# The archives are identical, not just their hashes' claims.
cmp "$SCRATCH/s1/snapshots/$id1/snapshot.tar.zst" "$SCRATCH/s2/snapshots/$id2/snapshot.tar.zst" ||
  fail "archives differ"
pass "archives are byte-identical"
grep -q '"source_date_epoch": 1700000000' "$SCRATCH/s1/snapshots/$id1/meta.json" ||
  fail "meta.json does not record SOURCE_DATE_EPOCH"
pass "meta.json records SOURCE_DATE_EPOCH"
assert_eq 0 "$(status_of cr --store "$SCRATCH/s1" snapshot verify first)" "it verifies"
