#!/bin/sh
# verify of the example recipes in recipes/, each with its [test]: the varied
# build's test step runs over the bare snapshot, which has none of the
# variations' tools (libfaketime), so no variation may reach it.
. "$CLEANROOM_TEST_LIB"
PROJECTS="$CLEANROOM_SOURCE_DIR/tests/data/python/projects"
R="$SCRATCH/recipes"
cp -R "$CLEANROOM_SOURCE_DIR/recipes" "$R"
mkdir -p "$R/demo-wheelhouse/sources" "$SCRATCH/out"
for p in hello-cli-0.1.0 greet-svc-1.0.0; do
  tar -C "$PROJECTS" --sort=name --mtime=@1704067200 --owner=0 --group=0 --numeric-owner \
    -cf - "$p" | gzip -n > "$R/demo-wheelhouse/sources/$p.tar.gz"
done
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
