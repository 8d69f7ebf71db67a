#!/bin/sh
# verify of the example recipes in recipes/, each with its [test]: the varied
# build's test step runs over the bare snapshot, which has none of the
# variations' tools (libfaketime), so no variation may reach it.
. "$CLEANROOM_TEST_LIB"
R="$SCRATCH/recipes"
cp -R "$CLEANROOM_SOURCE_DIR/recipes" "$R"
mkdir -p "$SCRATCH/out"
"$CLEANROOM_SOURCE_DIR/scripts/example-sdists" "$R/demo-wheelhouse/sources" >/dev/null
cr build "$R/demo-wheelhouse/recipe.toml" --out "$SCRATCH/out" -q >/dev/null 2>&1 \
  || fail "the demo wheelhouse did not build"
WH="$SCRATCH/out/demo-wheelhouse_2024.1-1_amd64.deb"
tested=0
for recipe in "$R"/*/recipe.toml; do
  grep -q '^\[test\]' "$recipe" || continue
  name=$(basename "$(dirname "$recipe")")
  capture cr verify "$recipe" --wheelhouse "$WH"
  [ "$rc" = 0 ] || fail "verify of $name exited $rc: $out"
  assert_contains "$out" "result: reproducible" "$name is reproducible under variations"
  tested=$((tested + 1))
done
[ "$tested" -ge 2 ] || fail "only $tested recipes with a [test] were verified"
pass "every example recipe with a [test] verifies"
