#!/bin/sh
# What decides a batch build's bytes decides its reuse: a batch reused after a
# plain run would be wrong once -d names another snapshot, so that run is not
# reused (here it fails, on a snapshot without Python). A recipe naming a
# snapshot the store lacks fails plan and build alike, exit 2, naming the
# snapshot meant.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
R="$SCRATCH/recipes"
mkdir -p "$R/wh"
hello_wheelhouse_recipe "$R/wh" "$R/wh/recipe.toml" "inputs-wheelhouse"
OUT="$SCRATCH/out"

# Another snapshot, tiny and unable to build anything, under a name of this test's own.
other="plan-inputs-$$"
fault_small_archive "$SCRATCH/small.tar"
cr snapshot import "$SCRATCH/small.tar" --name "$other" >/dev/null
remove_other() { cr snapshot rm "$other" >/dev/null 2>&1 || true; cleanup_scratch; }
trap remove_other EXIT

outcome() { awk '$1 == "inputs-wheelhouse" && $2 ~ /^(built|reused|FAILED|skipped)$/ {print $2}' "$1"; }
cr build "$R" --out "$OUT" >/dev/null 2>"$SCRATCH/run1.txt" ||
  { cat "$SCRATCH/run1.txt" "$OUT"/.cleanroom-batch/*.log >&2; fail "the first batch failed"; }
assert_eq built "$(outcome "$SCRATCH/run1.txt")" "the first run builds"
cr build "$R" --out "$OUT" >/dev/null 2>"$SCRATCH/run2.txt"
assert_eq reused "$(outcome "$SCRATCH/run2.txt")" "the same run again is reused"

run_rc cr build "$R" --out "$OUT" -d "$other" >/dev/null 2>"$SCRATCH/run3.txt"
[ "$(outcome "$SCRATCH/run3.txt")" != reused ] ||
  fail "a batch with -d $other was reused from the build on the recipe's own snapshot: $(cat "$SCRATCH/run3.txt")"
assert_eq 1 "$rc" "with -d another snapshot the batch builds again (and fails there)"

# A mistyped snapshot: plan refuses it as build does.
sed -i 's/^snapshot = "bookworm"$/snapshot = "bookwrom"/' "$R/wh/recipe.toml"
capture cr plan "$R" --out "$OUT"
assert_eq 2 "$rc" "plan with a mistyped snapshot exits 2"
assert_contains "$out" "$R/wh/recipe.toml: no snapshot 'bookwrom'" "plan names the recipe and the snapshot"
assert_contains "$out" "did you mean 'bookworm'?" "plan names the snapshot meant"
assert_contains "$out" "available: " "plan lists the snapshots there are"
capture cr build "$R/wh/recipe.toml" --out "$OUT"
assert_eq 2 "$rc" "build with a mistyped snapshot exits 2"
assert_contains "$out" "did you mean 'bookworm'?" "build names the snapshot meant"
