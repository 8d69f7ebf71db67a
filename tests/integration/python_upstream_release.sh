#!/bin/sh
# The Python pipeline on real upstream sources nobody here wrote: 23 sdists
# (Debian's orig tarballs, fetched once into the test cache) built into one
# wheelhouse with five back ends (setuptools, flit_core, poetry-core, pbr,
# setuptools-scm), seven of them compiling C extensions; two venvs built from
# it, each passing its smoke tests; verify of one venv finds it reproducible.
. "$CLEANROOM_TEST_LIB"
S="$CLEANROOM_SOURCE_DIR"
CACHE=${CLEANROOM_TEST_CACHE:-$CLEANROOM_TEST_SCRATCH/../test-cache}/upstream-sdists
R="$SCRATCH/release"
cp -R "$S/tests/data/python/upstream-release" "$R"
run_rc "$S/scripts/upstream-sdists" "$R/sources" "$CACHE" 2>"$SCRATCH/fetch.err"
if [ "$rc" = 3 ]; then
  curl -sf --max-time 30 -o /dev/null http://deb.debian.org/debian/dists/bookworm/Release ||
    skip "the Debian mirror is unreachable and the cache lacks: $(cat "$SCRATCH/fetch.err")"
  fail "the mirror answers but would not serve: $(cat "$SCRATCH/fetch.err")"
fi
[ "$rc" = 0 ] || fail "fetching the upstream sdists failed: $(cat "$SCRATCH/fetch.err")"
count=$(grep -c '^[a-z]' "$S/tests/data/python/upstream-release/sdists.txt")
assert_eq "$count" "$(ls "$R/sources" | wc -l)" "every upstream sdist is there"

OUT="$SCRATCH/out"
cr build "$R/wheelhouse.toml" --out "$OUT" >/dev/null 2>"$SCRATCH/wh.err" ||
  { tail -n 40 "$SCRATCH/wh.err" >&2; fail "the upstream wheelhouse did not build"; }
WH="$OUT/upstream-wheelhouse_2024.1-1_amd64.deb"
dpkg-deb -c "$WH" | awk '{print $NF}' | grep '\.whl$' | sed 's|.*/||' > "$SCRATCH/wheels"
assert_eq "$count" "$(wc -l < "$SCRATCH/wheels")" "one wheel per upstream sdist"
assert_eq 7 "$(grep -c 'cp311-cp311-linux_x86_64\.whl$' "$SCRATCH/wheels")" \
  "the seven C extensions are compiled (platform wheels)"
pass "23 upstream sdists, five back ends, built into one wheelhouse"

for venv in text sys; do
  cr build "$R/$venv/recipe.toml" --wheelhouse "$WH" --out "$OUT" >/dev/null 2>"$SCRATCH/$venv.err" ||
    { tail -n 40 "$SCRATCH/$venv.err" >&2; fail "the upstream-$venv venv did not build or its smoke tests failed"; }
  grep -q "^test .* ok" "$SCRATCH/$venv.err" || fail "the upstream-$venv build ran no test step: $(cat "$SCRATCH/$venv.err")"
done
dpkg-deb -f "$OUT/upstream-text_1.0-1_amd64.deb" Depends | grep -q libxxhash0 ||
  fail "xxhash was not linked to the system libxxhash (Depends lacks libxxhash0)"
pass "two venvs from the upstream wheelhouse pass their smoke tests"

capture cr verify "$R/text/recipe.toml" --wheelhouse "$WH"
assert_eq 0 "$rc" "verify of the upstream-text venv exits 0: $out"
assert_contains "$out" "result: reproducible" "the upstream-text venv is reproducible"
