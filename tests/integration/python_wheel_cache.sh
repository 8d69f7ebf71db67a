#!/bin/sh
# A wheelhouse's sdists build in parallel (-j) and their wheels are kept in the
# store's wheel cache by everything that decides their bytes: a second build
# takes every wheel from the cache, a changed sdist rebuilds only its wheel,
# and the .deb is byte-identical whether its wheels were built cold, with one
# job or two, or came from the cache. A varied build (verify) never uses it.
. "$CLEANROOM_TEST_LIB"
PROJECTS="$CLEANROOM_SOURCE_DIR/tests/data/python/projects"
W="$SCRATCH/release"
mkdir -p "$W/sources" "$SCRATCH/projects"
cp -R "$PROJECTS/hello-cli-0.1.0" "$PROJECTS/greet-svc-1.0.0" "$PROJECTS/zcrc-0.1.0" "$SCRATCH/projects/"
pack() { # project
  tar -C "$SCRATCH/projects" --sort=name --mtime=@1704067200 --owner=0 --group=0 --numeric-owner \
    -cf - "$1" | gzip -n > "$W/sources/$1.tar.gz"
}
for p in hello-cli-0.1.0 greet-svc-1.0.0 zcrc-0.1.0; do pack "$p"; done
# A name of this run's own, so that no other test's wheels are in the cache.
salt="cache$$"
cat > "$W/wheelhouse.toml" <<TOML
format = 1
kind = "wheelhouse"
name = "cache-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
build_packages = ["zlib1g-dev"]
sources = "sources"
requirements = ["greet-svc", "zcrc"]

[build_env]
CLEANROOM_TEST_RUN = "$salt"
TOML
DEB=cache-wheelhouse_1.0-1_amd64.deb
note() { awk '$1 == "wheels" {$1 = $2 = $3 = ""; print}' "$1" | sed 's/^ *//'; }
build() { # out log args...
  out=$1 log=$2
  shift 2
  cr build "$W/wheelhouse.toml" --out "$SCRATCH/$out" "$@" >/dev/null 2>"$SCRATCH/$log" ||
    { cat "$SCRATCH/$log" >&2; fail "the wheelhouse build into $out failed"; }
}

build cold1 cold1.err --no-wheel-cache -j 1
build cold2 cold2.err --no-wheel-cache -j 2
cmp "$SCRATCH/cold1/$DEB" "$SCRATCH/cold2/$DEB" || fail "-j 1 and -j 2 give different wheelhouses"
pass "-j 2 builds the same wheelhouse as -j 1"
assert_eq "3 built, 0 of them from the cache, 0 from sources" "$(note "$SCRATCH/cold2.err")" \
  "--no-wheel-cache builds every wheel"

build fill fill.err -j 2
assert_eq "3 built, 0 of them from the cache, 0 from sources" "$(note "$SCRATCH/fill.err")" \
  "the first cached build builds every wheel"
build warm warm.err
assert_eq "3 built, 3 of them from the cache, 0 from sources" "$(note "$SCRATCH/warm.err")" \
  "a second build takes every wheel from the cache"
for d in fill warm; do
  cmp "$SCRATCH/cold1/$DEB" "$SCRATCH/$d/$DEB" || fail "the $d build differs from the cold build"
done
pass "wheels from the cache give the same .deb as a cold build"
# -q: no step table, no progress of the wheel builds, only the result paths.
cr -q build "$W/wheelhouse.toml" --out "$SCRATCH/quiet" --no-wheel-cache > "$SCRATCH/quiet.out" 2> "$SCRATCH/quiet.err"
assert_eq "" "$(cat "$SCRATCH/quiet.err")" "a quiet wheelhouse build prints nothing on stderr"
grep -qx "$SCRATCH/quiet/$DEB" "$SCRATCH/quiet.out" || fail "-q did not print the .deb's path"

# One changed sdist: only its wheel is built again.
echo "# changed" >> "$SCRATCH/projects/hello-cli-0.1.0/pyproject.toml"
pack hello-cli-0.1.0
build bumped bumped.err
assert_eq "3 built, 2 of them from the cache, 0 from sources" "$(note "$SCRATCH/bumped.err")" \
  "a changed sdist rebuilds only its own wheel"
grep -q "building a wheel for hello-cli" "$SCRATCH/bumped/cache-wheelhouse_1.0-1_amd64.build" ||
  fail "the changed sdist was not built"

# verify's varied build builds every wheel under its variations.
capture cr verify "$W/wheelhouse.toml" --vary=-all,+time --keep "$SCRATCH/verify"
assert_eq 0 "$rc" "verify of the cached wheelhouse passes: $out"
assert_contains "$out" "result: reproducible" "a varied build from a warm cache is still compared"
log="$SCRATCH/verify/varied/cache-wheelhouse_1.0-1_amd64.build"
[ -f "$log" ] || fail "verify kept no varied build log: $(ls -R "$SCRATCH/verify" | head -20)"
assert_eq 3 "$(grep -c "building a wheel for" "$log")" "the varied build built every wheel itself"

# cache prune --older-than removes a wheel not used for that long; the next
# build makes it again.
key=$(sed -n 's/.*the wheel for zcrc 0.1.0 comes from the cache (\([0-9a-f]*\)).*/\1/p' \
  "$SCRATCH/bumped/cache-wheelhouse_1.0-1_amd64.build" | head -n 1)
[ -n "$key" ] || fail "the bumped build did not take zcrc from the cache"
touch -d '40 days ago' "$CLEANROOM_STORE/wheels/$key"*
cr cache prune --older-than 30d --json > "$SCRATCH/prune.json"
/usr/bin/python3 - "$SCRATCH/prune.json" "$key" <<'PY'
import json, sys
j, key = json.load(open(sys.argv[1])), sys.argv[2]
assert any(k.startswith(key) for k in j["removed_wheels"]), j
assert j["freed_wheels"] > 0, j
PY
[ -z "$(ls -d "$CLEANROOM_STORE/wheels/$key"* 2>/dev/null)" ] || fail "the pruned wheel is still there"
build again again.err
assert_eq "3 built, 2 of them from the cache, 0 from sources" "$(note "$SCRATCH/again.err")" \
  "after prune the wheel is built again"
cmp "$SCRATCH/bumped/$DEB" "$SCRATCH/again/$DEB" || fail "the rebuilt wheel changed the wheelhouse"
pass "cache prune --older-than removes cached wheels not used for that long"
