#!/bin/sh
# The next Debian release, trixie (dpkg 1.22, debhelper 13.2x, Python 3.13,
# pip 25), through the same pipelines as bookworm: a real trixie snapshot from
# the mirror; a Debian source built and verified reproducible under every
# variation; a wheelhouse and a venv recipe built in it, the venv pinned to
# trixie's Python and run after dpkg -i in a fresh trixie sandbox.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

# Made once per store, like the bookworm fixture (about half a minute).
if ! cr snapshot list | awk '{print $1}' | grep -qx trixie; then
  cr snapshot create trixie --name trixie --include python3,python3-venv >/dev/null
fi
assert_contains "$(cr run --snapshot trixie -- cat /etc/os-release)" 'VERSION_CODENAME=trixie' \
  "the snapshot is trixie"

# A Debian source: built, recorded as trixie's, reproducible.
src="$SCRATCH/cleanroom-hello-1.0"
cp -a "$FIXTURES/hello-c" "$src"
mkdir "$SCRATCH/out"
cr build "$src" -d trixie --out "$SCRATCH/out" --no-run-lintian -q >/dev/null
deb="$SCRATCH/out/cleanroom-hello_1.0_amd64.deb"
[ -f "$deb" ] || fail "no .deb in: $(ls "$SCRATCH/out")"
trixie_id=$(cr snapshot list --json |
  python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "trixie" in s["names"]][0]["id"])')
assert_contains "$(cat "$SCRATCH/out/cleanroom-hello_1.0_amd64.buildinfo")" "X-Cleanroom-Snapshot: $trixie_id" \
  "the .buildinfo records the trixie snapshot"
out=$(cr verify "$src" -d trixie)
assert_contains "$out" "result: reproducible" "the source is reproducible on trixie under every variation"

# Recipes: the wheelhouse and a venv from it, pinned to trixie's Python.
hello_wheelhouse_recipe "$SCRATCH/wh" "$SCRATCH/wh/recipe.toml" trixie-wheelhouse
hello_venv_recipe "$SCRATCH/venv.toml" trixie-hello trixie
mkdir "$SCRATCH/py"
cr build "$SCRATCH/wh/recipe.toml" -d trixie --out "$SCRATCH/py" -q >/dev/null
cr build "$SCRATCH/venv.toml" --wheelhouse "$SCRATCH/py/trixie-wheelhouse_1.0-1_amd64.deb" \
  --out "$SCRATCH/py" -q >/dev/null
venv="$SCRATCH/py/trixie-hello_1.0-1_amd64.deb"
py=$(cr run --snapshot trixie -- python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
next=$(python3 -c "v='$py'.split('.'); print(v[0] + '.' + str(int(v[1]) + 1))")
assert_contains "$(dpkg-deb -f "$venv" Depends)" "python3 (>= $py), python3 (<< $next)" \
  "the venv's Depends pins trixie's Python $py"
chmod 0755 "$SCRATCH" "$SCRATCH/py"
got=$(cr run --snapshot trixie --bind "$SCRATCH/py:/debs:ro" -- sh -c \
  'dpkg -i /debs/trixie-hello_1.0-1_amd64.deb >/dev/null && hello trixie')
assert_eq "Hello, trixie!" "$got" "the venv installs with dpkg on trixie and its console script runs"
