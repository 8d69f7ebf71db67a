#!/bin/sh
# cleanroom build of Debian sources: a C package from a tree and from a .dsc, a
# Python package; the .debs install in a fresh snapshot and their programs run;
# a second build is bit-identical and reuses the dependency layer (no apt).
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c"
mkdir "$SCRATCH/out1" "$SCRATCH/out2" "$SCRATCH/out-dsc" "$SCRATCH/out-py"

cr build "$SCRATCH/hello-c" --out "$SCRATCH/out1" --no-run-lintian --json >"$SCRATCH/b1.json"
python3 - "$SCRATCH/b1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"], j
assert [s["name"] for s in j["steps"]] == ["unpack", "prepare", "build", "normalize", "record", "lintian", "publish"], j["steps"]
import hashlib, os
snap = j["snapshot"]
assert snap["name"] == "bookworm" and len(snap["id"]) == 64, snap
assert sorted(f["path"] for f in j["files"]) == sorted(j["artifacts"]), j["files"]
for f in j["files"]:
    data = open(f["path"], "rb").read()
    assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["size"] == len(data), f
PY
pass "tree build succeeded with the expected steps"
pass "--json names the snapshot by name and id, and each artifact's sha256 and size"
for f in cleanroom-hello_1.0_amd64.deb cleanroom-hello_1.0_amd64.changes \
         cleanroom-hello_1.0_amd64.buildinfo cleanroom-hello_1.0_amd64.build; do
  [ -f "$SCRATCH/out1/$f" ] || fail "missing output $f"
done
pass "sbuild's output names"
dpkg-deb --info "$SCRATCH/out1/cleanroom-hello_1.0_amd64.deb" >/dev/null
dpkg-deb --contents "$SCRATCH/out1/cleanroom-hello_1.0_amd64.deb" | grep -q './usr/bin/cleanroom-hello' \
  || fail "the .deb lacks the program"
grep -q '^X-Cleanroom-Snapshot: [0-9a-f]\{64\}$' "$SCRATCH/out1/cleanroom-hello_1.0_amd64.buildinfo" \
  || fail ".buildinfo does not record the snapshot id"
grep -q '^ debhelper (= ' "$SCRATCH/out1/cleanroom-hello_1.0_amd64.buildinfo" \
  || fail ".buildinfo lacks Installed-Build-Depends"
(cd "$SCRATCH/out1" && sha256sum cleanroom-hello_1.0_amd64.deb | awk '{print $1}' > ../sha1)
grep -q "$(cat "$SCRATCH/sha1")" "$SCRATCH/out1/cleanroom-hello_1.0_amd64.changes" \
  || fail ".changes does not carry the published .deb's checksum"
pass ".deb, .changes and .buildinfo agree"

# Second build: identical bytes, cached layer, no apt at all.
cr build "$SCRATCH/hello-c" --out "$SCRATCH/out2" --no-run-lintian --json >"$SCRATCH/b2.json"
python3 - "$SCRATCH/b2.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] and j["layer_reused"], j
PY
if grep -q '+ apt-get' "$SCRATCH/out2/cleanroom-hello_1.0_amd64.build"; then
  fail "the second build ran apt"
fi
pass "second build reused the layer and ran no apt step"
for f in cleanroom-hello_1.0_amd64.deb cleanroom-hello-dbgsym_1.0_amd64.deb \
         cleanroom-hello_1.0_amd64.buildinfo cleanroom-hello_1.0_amd64.changes; do
  cmp "$SCRATCH/out1/$f" "$SCRATCH/out2/$f" || fail "$f differs between two builds"
done
pass "two builds are bit-identical"

# From a .dsc: dpkg-source -x runs in the sandbox.
(cd "$SCRATCH" && dpkg-source -b hello-c >/dev/null)
cr -q build "$SCRATCH/cleanroom-hello_1.0.dsc" --out "$SCRATCH/out-dsc" --no-run-lintian \
  > "$SCRATCH/quiet.out" 2> "$SCRATCH/quiet.err"
assert_eq "" "$(cat "$SCRATCH/quiet.err")" "build -q prints nothing on stderr when it succeeds"
grep -qx "$SCRATCH/out-dsc/cleanroom-hello_1.0_amd64.deb" "$SCRATCH/quiet.out" ||
  fail "build -q did not print the .deb's path: $(cat "$SCRATCH/quiet.out")"
while read -r f; do [ -f "$f" ] || fail "build -q printed '$f', which is not a result file"; done < "$SCRATCH/quiet.out"
pass "build -q prints only the result paths"
cmp "$SCRATCH/out1/cleanroom-hello_1.0_amd64.deb" "$SCRATCH/out-dsc/cleanroom-hello_1.0_amd64.deb" \
  || fail "the .dsc build differs from the tree build"
pass ".dsc build gives the same .deb as the tree build"

# A Python package with dh-python, built as dpkg-buildpackage is: from its
# top directory, with no source named.
cp -a "$FIXTURES/hello-py" "$SCRATCH/hello-py"
(cd "$SCRATCH/hello-py" && cr build --out "$SCRATCH/out-py" --no-run-lintian -q)
[ -f "$SCRATCH/out-py/python3-cleanroom-greet_1.0_all.deb" ] || fail "no python3-cleanroom-greet .deb"
pass "Python package built from the current directory"

# Install both in a fresh snapshot and run them. The sandbox's root is an
# unprivileged host id: the bound directory must be readable by others.
chmod 0755 "$SCRATCH"
got=$(cr run --bind "$SCRATCH:/debs:ro" -- sh -c \
  'dpkg -i /debs/out1/cleanroom-hello_1.0_amd64.deb /debs/out-py/python3-cleanroom-greet_1.0_all.deb >/dev/null && cleanroom-hello && cleanroom-greet')
assert_eq "hello from cleanroom-hello
greetings from cleanroom-greet" "$got" "installed programs run"
