#!/bin/sh
# What Debian's tools expect of a venv and a wheelhouse .deb: lintian in the
# recipe pipeline (in the build root through build_packages) finds no error
# on a wheelhouse and on a venv with a C extension; both carry a DEP-5
# copyright file with each distribution's license from its metadata, a
# changelog, an extended description, lintian overrides and a CycloneDX SBOM
# (also next to the .deb); the C extension is stripped; a distribution without
# a license warns, and fails under licenses = "strict"; two builds are equal.
. "$CLEANROOM_TEST_LIB"
W="$SCRATCH/release"
pack_fixture_sdists "$W/sources" hello-cli-0.1.0 greet-svc-1.0.0 zcrc-0.1.0
cat > "$W/wheelhouse.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "docs-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
build_packages = ["zlib1g-dev", "lintian"]
sources = "sources"
requirements = ["greet-svc", "zcrc"]
TOML
venv_recipe() {  # NAME LICENSES
  cat <<TOML
format = 1
kind = "venv"
name = "$1"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "greeting service with zcrc (test venv package)"
snapshot = "bookworm"
source_date_epoch = 1704067200
build_packages = ["lintian"]
licenses = "$2"
requirements = ["greet-svc", "zcrc"]
TOML
}
venv_recipe docs-greet warn > "$W/venv.toml"
venv_recipe docs-strict strict > "$W/strict.toml"

WH=docs-wheelhouse_1.0-1_amd64
VE=docs-greet_1.0-1_amd64
for n in 1 2; do
  cr build "$W/wheelhouse.toml" --out "$SCRATCH/out$n" --json > "$SCRATCH/wh$n.json" \
    2>"$SCRATCH/wh$n.err" || { cat "$SCRATCH/out$n/$WH.build" >&2; fail "wheelhouse build $n failed"; }
  cr build "$W/venv.toml" --wheelhouse "$SCRATCH/out$n/$WH.deb" --out "$SCRATCH/out$n" \
    --json > "$SCRATCH/ve$n.json" 2>"$SCRATCH/ve$n.err" \
    || { cat "$SCRATCH/out$n/$VE.build" >&2; fail "venv build $n failed"; }
done
python3 - "$SCRATCH/wh1.json" "$SCRATCH/ve1.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    j = json.load(open(path))
    [step] = [s for s in j["steps"] if s["name"] == "lintian"]
    assert step["status"] == "ok" and step["note"].startswith("0 errors"), (path, step)
PY
pass "lintian ran in both pipelines and found no error"
grep -q "^E: " "$SCRATCH/out1/$VE.build" && fail "lintian's errors are in the venv's log"
assert_contains "$(cat "$SCRATCH/out1/$VE.build")" "lintian --info" "lintian's report is in the log"

for f in $WH $VE; do
  cmp "$SCRATCH/out1/$f.deb" "$SCRATCH/out2/$f.deb" || fail "$f.deb differs between two builds"
  cmp "$SCRATCH/out1/$f.cdx.json" "$SCRATCH/out2/$f.cdx.json" || fail "$f.cdx.json differs"
done
pass "two builds give identical .debs and SBOMs"

dpkg-deb -x "$SCRATCH/out1/$VE.deb" "$SCRATCH/venv"
dpkg-deb -x "$SCRATCH/out1/$WH.deb" "$SCRATCH/wheelhouse"
doc="$SCRATCH/venv/usr/share/doc/docs-greet"
copyright=$(cat "$doc/copyright")
assert_contains "$copyright" "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" "the copyright file is DEP-5"
python3 - "$doc/copyright" <<'PY'
import sys
stanzas = [s for s in open(sys.argv[1]).read().split("\n\n")]
def stanza(word):
    [s] = [s for s in stanzas if s.startswith("Files:") and word in s]
    return s
hello, greet, zcrc = stanza("hello-cli 0.1.0"), stanza("greet-svc 1.0.0"), stanza("zcrc 0.1.0")
assert "License: MIT\n" in hello and "from its License" in hello, hello
assert "License: Apache-2.0\n" in greet and "classifier" in greet, greet
assert "License: unknown\n" in zcrc, zcrc
assert "site-packages/zcrc/*" in zcrc, zcrc
assert any(s.startswith("License: Apache-2.0\n") and "/usr/share/common-licenses/Apache-2.0" in s for s in stanzas), stanzas
PY
pass "one Files stanza per distribution, with the license its metadata names"
zcat "$doc/changelog.Debian.gz" | head -1 | grep -qx "docs-greet (1.0-1) bookworm; urgency=medium" \
  || fail "the changelog's first line: $(zcat "$doc/changelog.Debian.gz" | head -1)"
assert_contains "$(cat "$SCRATCH/venv/usr/share/lintian/overrides/docs-greet")" "docs-greet: dir-or-file-in-opt" "the venv ships its lintian overrides"
description=$(dpkg-deb -f "$SCRATCH/out1/$VE.deb" Description)
assert_contains "$description" "zcrc 0.1.0" "the extended description lists what the venv bundles"
cmp "$doc/sbom.cdx.json" "$SCRATCH/out1/$VE.cdx.json" || fail "the SBOM in the .deb is not the one beside it"
python3 - "$doc/sbom.cdx.json" "$SCRATCH/wheelhouse/usr/share/doc/docs-wheelhouse/sbom.cdx.json" "$SCRATCH/wheelhouse" <<'PY'
import glob, hashlib, json, os, sys
venv, wheelhouse, root = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
assert venv["bomFormat"] == "CycloneDX" and venv["specVersion"] == "1.5", venv
assert venv["metadata"]["timestamp"] == "2024-01-01T00:00:00Z", venv["metadata"]
by = {c["name"]: c for c in venv["components"]}
assert by["hello-cli"]["licenses"] == [{"expression": "MIT"}], by["hello-cli"]
assert by["zcrc"]["licenses"] == [{"license": {"name": "unknown"}}], by["zcrc"]
assert by["zcrc"]["purl"] == "pkg:pypi/zcrc@0.1.0", by["zcrc"]
assert "python3" in by and by["python3"]["purl"] == "pkg:deb/debian/python3", sorted(by)
# Each wheel's sha256 is that of the wheel the wheelhouse ships.
for c in wheelhouse["components"]:
    [prop] = [p["value"] for p in c["properties"] if p["name"] == "cleanroom:wheel"]
    [path] = glob.glob(os.path.join(root, "opt", "wheelhouses", "*", prop))
    assert c["hashes"] == [{"alg": "SHA-256", "content": hashlib.sha256(open(path, "rb").read()).hexdigest()}], c
    assert by[c["name"]]["hashes"] == c["hashes"], (c, by[c["name"]])
PY
pass "the SBOM lists every distribution with its wheel's sha256, license and the Debian dependencies"

so=$(find "$SCRATCH/venv/opt" -name '_zcrc*.so' | head -1)
[ -n "$so" ] || so=$(find "$SCRATCH/venv/opt" -name '*.so' | head -1)
[ -n "$so" ] || fail "the venv has no compiled module"
if readelf -S "$so" | grep -qE '\.debug_|\.symtab|\.comment'; then
  fail "the compiled module $(basename "$so") is not stripped: $(readelf -S "$so" | grep -E 'debug|symtab|comment')"
fi
pass "compiled modules are stripped"

assert_contains "$(cat "$SCRATCH/ve1.err")" "no license in the metadata of zcrc 0.1.0" "an unknown license warns"
run_rc cr build "$W/strict.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/strict" 2>"$SCRATCH/strict.err" >/dev/null
assert_eq 1 "$rc" "licenses = \"strict\" fails the build"
assert_contains "$(cat "$SCRATCH/strict.err")" "no license in the metadata of zcrc 0.1.0; the recipe says licenses = \"strict\"" "and says which distribution and why"

# debug_symbols = true: the debug info goes into <name>-dbgsym, found by the
# stripped module's build ID and linked back by .gnu_debuglink, as dh_strip does.
venv_recipe docs-dbg warn > "$W/dbg.toml"
echo "debug_symbols = true" >> "$W/dbg.toml"
cr build "$W/dbg.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/dbg" --json \
  > "$SCRATCH/dbg.json" 2>/dev/null || { cat "$SCRATCH/dbg/docs-dbg_1.0-1_amd64.build" >&2; fail "the debug_symbols build failed"; }
DBG="$SCRATCH/dbg/docs-dbg-dbgsym_1.0-1_amd64.deb"
[ -f "$DBG" ] || fail "no -dbgsym package: $(ls "$SCRATCH/dbg")"
assert_eq "docs-dbg (= 1.0-1)" "$(dpkg-deb -f "$DBG" Depends)" "the -dbgsym package depends on its package's exact version"
dpkg-deb -x "$SCRATCH/dbg/docs-dbg_1.0-1_amd64.deb" "$SCRATCH/dbg-main"
dpkg-deb -x "$DBG" "$SCRATCH/dbg-syms"
so=$(find "$SCRATCH/dbg-main/opt" -name '*.so' | head -1)
id=$(readelf -n "$so" | awk '/Build ID:/ {print $3; exit}')
[ -n "$id" ] || fail "the stripped module lost its build ID"
assert_eq "$id" "$(dpkg-deb -f "$DBG" Build-Ids)" "Build-Ids names the module's build ID"
debug="$SCRATCH/dbg-syms/usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug"
[ -f "$debug" ] || fail "no debug file for build ID $id"
readelf -S "$debug" | grep -q '\.debug_info' || fail "the debug file holds no .debug_info"
readelf -S "$so" | grep -q '\.gnu_debuglink' || fail "the module has no .gnu_debuglink"
readelf -S "$so" | grep -qE '\.debug_|\.symtab' && fail "the module of a debug_symbols build is not stripped"
assert_contains "$(cat "$SCRATCH/dbg/docs-dbg_1.0-1_amd64.changes")" "docs-dbg-dbgsym_1.0-1_amd64.deb" "the .changes lists the -dbgsym package"
pass "debug_symbols = true ships the debug info in docs-dbg-dbgsym"
assert_contains "$(cr plan "$W/wheelhouse.toml" "$W/dbg.toml" --out "$SCRATCH/plan-out" --json)" \
  '"docs-dbg-dbgsym_1.0-1_amd64.deb"' "a plan lists the -dbgsym package among the venv's outputs"

# A changelog the recipe names is shipped as it is, once its top entry is the
# recipe's package and version.
cat > "$W/debian-changelog" <<'LOG'
docs-log (1.0-1) bookworm; urgency=medium

  * First release of the greeter.

 -- Cleanroom Tests <tests@example.org>  Mon, 01 Jan 2024 00:00:00 +0000
LOG
venv_recipe docs-log warn > "$W/log.toml"
echo 'changelog = "debian-changelog"' >> "$W/log.toml"
cr build "$W/log.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/log" --no-run-lintian -q \
  >/dev/null 2>"$SCRATCH/log.err" || { cat "$SCRATCH/log.err" >&2; fail "the build with a changelog failed"; }
dpkg-deb --fsys-tarfile "$SCRATCH/log/docs-log_1.0-1_amd64.deb" |
  tar -xO ./usr/share/doc/docs-log/changelog.Debian.gz | zcat > "$SCRATCH/shipped-changelog"
cmp "$SCRATCH/shipped-changelog" "$W/debian-changelog" || fail "the recipe's changelog is not the one shipped"
sed -i 's/(1.0-1)/(0.9-1)/' "$W/debian-changelog"
run_rc cr build "$W/log.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/log2" -q >/dev/null 2>"$SCRATCH/log.err"
assert_eq 2 "$rc" "a changelog of another version is an input error"
assert_contains "$(cat "$SCRATCH/log.err")" "log.toml:12: changelog 'debian-changelog' begins with version 0.9-1, but the recipe's version is 1.0-1" "naming the recipe's line and both versions"
pass "the recipe's changelog is shipped, and checked against its version"

# lintian's errors fail a recipe build, naming the first, unless the recipe
# allows them. A one-word description is one (description-too-short).
venv_recipe docs-terse warn | sed 's/^description = .*/description = "terse"/' > "$W/terse.toml"
run_rc cr build "$W/terse.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/terse" -q >/dev/null 2>"$SCRATCH/terse.err"
assert_eq 1 "$rc" "a lintian error fails the build"
assert_contains "$(cat "$SCRATCH/terse.err")" "lintian found 1 error in docs-terse_1.0-1_amd64.deb, the first: docs-terse: description-too-short" "naming the error and the way out"
echo "allow_lintian_errors = true" >> "$W/terse.toml"
cr build "$W/terse.toml" --wheelhouse "$SCRATCH/out1/$WH.deb" --out "$SCRATCH/terse2" >/dev/null 2>"$SCRATCH/terse.err" ||
  fail "allow_lintian_errors = true still fails: $(cat "$SCRATCH/terse.err")"
assert_contains "$(cat "$SCRATCH/terse.err")" "lintian: 1 error (allowed)" "and the allowed errors are a warning"
