#!/bin/sh
# export -> import under another name gives the same id, whatever the
# compression of the exported file; rm of the extra name keeps the snapshot.
. "$CLEANROOM_TEST_LIB"

id=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["id"])')
name="roundtrip-$$"

cr snapshot export bookworm "$SCRATCH/b.tar.zst"
assert_eq "$id" "$(sha256sum "$SCRATCH/b.tar.zst" | cut -d' ' -f1)" \
  "a .tar.zst export is the stored archive"

# Recompressed exports are rewritten from the tree (plain .tar here: xz of
# 450 MB would dominate the test; the small-tree tests cover .tar.xz/.tar.gz).
cr snapshot export bookworm "$SCRATCH/b.tar"
out=$(cr snapshot import "$SCRATCH/b.tar" --name "$name" --suite bookworm)
assert_contains "$out" "$id" "importing the .tar export gives the same id"
assert_eq 2 "$(cr snapshot list | awk -v id="$(echo "$id" | cut -c1-12)" '$2 == id' | wc -l)" \
  "both names point at one snapshot"

out=$(cr snapshot rm "$name")
assert_contains "$out" "removed name '$name'" "rm removes the name"
case "$out" in *"removed snapshot"*) fail "rm removed a snapshot that still has a name" ;; esac
assert_eq 0 "$(status_of cr snapshot verify bookworm)" "bookworm is intact after rm of the other name"
assert_eq 2 "$(status_of cr snapshot rm "$(echo "$id" | cut -c1-12)")" \
  "rm by id refuses while names remain"
