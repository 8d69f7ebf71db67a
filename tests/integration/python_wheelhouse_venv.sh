#!/bin/sh
# The Python pipelines end to end: fixture projects (a pure library, an app
# with a console script depending on it, a C extension linking zlib) packed
# into sdists; a wheelhouse .deb built from them; a venv .deb installed from
# that wheelhouse without network or compiler; the venv .deb installed with
# dpkg in a fresh snapshot without a compiler and its programs run; computed
# Depends; a second build of both is bit-identical.
. "$CLEANROOM_TEST_LIB"
W="$SCRATCH/release"
pack_fixture_sdists "$W/sources" hello-cli-0.1.0 greet-svc-1.0.0 zcrc-0.1.0
cat > "$W/constraints.txt" <<'TXT'
hello-cli===0.1.0
greet-svc===1.0.0
zcrc===0.1.0
TXT
cat > "$W/wheelhouse.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "test-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
build_packages = ["zlib1g-dev"]
sources = "sources"
requirements = ["greet-svc", "zcrc"]
constraints = "constraints.txt"
TOML
cat > "$W/venv.toml" <<'TOML'
format = 1
kind = "venv"
name = "test-greet"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "greeting service with zcrc (test venv package)"
snapshot = "bookworm"
source_date_epoch = 1704067200
requirements = ["greet-svc", "zcrc"]
constraints = "constraints.txt"
depends = ["adduser"]

[test]
commands = ["zcrc --version", "greet-svc --version | grep -qx 'greet-svc 1.0.0'"]
timeout = 120
TOML

WH=test-wheelhouse_1.0-1_amd64
VE=test-greet_1.0-1_amd64
for n in 1 2; do
  mkdir "$SCRATCH/out$n"
  cr build "$W/wheelhouse.toml" --out "$SCRATCH/out$n" --json > "$SCRATCH/wh$n.json" \
    || { cat "$SCRATCH/out$n/$WH.build" >&2; fail "wheelhouse build $n failed"; }
  cr build "$W/venv.toml" --wheelhouse "$SCRATCH/out$n/$WH.deb" --out "$SCRATCH/out$n" \
    --json > "$SCRATCH/ve$n.json" \
    || { cat "$SCRATCH/out$n/$VE.build" >&2; fail "venv build $n failed"; }
done
python3 - "$SCRATCH/wh1.json" "$SCRATCH/ve1.json" <<'PY'
import json, sys
wh, ve = (json.load(open(p)) for p in sys.argv[1:])
assert wh["ok"] and ve["ok"], (wh, ve)
assert [s["name"] for s in wh["steps"]] == ["inspect", "prepare", "resolve", "wheels", "check", "lock", "package", "lintian", "record", "publish"], wh["steps"]
assert [s["name"] for s in ve["steps"]] == ["inspect", "wheelhouse", "prepare", "resolve", "venv", "check", "package", "test", "lintian", "record", "publish"], ve["steps"]
assert [s["status"] for s in ve["steps"] if s["name"] == "test"] == ["ok"], ve["steps"]
PY
pass "both pipelines ran their steps"
for f in $WH.deb $WH.changes $WH.buildinfo $WH.build $VE.deb $VE.changes $VE.buildinfo $VE.build; do
  [ -f "$SCRATCH/out1/$f" ] || fail "missing output $f"
done
pass "Debian's output names"

# A recipe's work dir lives in the store's tmp/ like a Debian build's (removed
# after a kill by the next store open); --keep-build-dir moves it to kept-builds/.
mkdir "$SCRATCH/out-kept"
cr build "$W/wheelhouse.toml" --out "$SCRATCH/out-kept" --keep-build-dir --json > "$SCRATCH/kept.json" \
  || fail "wheelhouse build with --keep-build-dir failed"
kept=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["build_dir"])' "$SCRATCH/kept.json")
case "$kept" in "$CLEANROOM_TEST_STORE/kept-builds/$WH-"*) ;; *) fail "kept build dir '$kept' is not in the store's kept-builds/" ;; esac
[ -f "$kept/log/build.log" ] || fail "the kept build dir has no log"
rm -rf "$kept"
pass "a recipe's kept build dir is in the store"

# The wheelhouse: every wheel, the lock and the simple index, at the install path.
contents=$(dpkg-deb --contents "$SCRATCH/out1/$WH.deb")
for f in hello_cli-0.1.0-py3-none-any.whl greet_svc-1.0.0-py3-none-any.whl \
         zcrc-0.1.0-cp311-cp311-linux_x86_64.whl wheelhouse.lock simple/index.html \
         simple/zcrc/index.html; do
  assert_contains "$contents" "./opt/wheelhouses/test-wheelhouse/$f" "wheelhouse ships $f"
done
grep -q '^X-Cleanroom-Recipe: [0-9a-f]\{64\}$' "$SCRATCH/out1/$WH.buildinfo" \
  || fail "wheelhouse .buildinfo lacks the recipe hash"
grep -q '^X-Cleanroom-Snapshot: [0-9a-f]\{64\}$' "$SCRATCH/out1/$WH.buildinfo" \
  || fail "wheelhouse .buildinfo lacks the snapshot id"
mkdir "$SCRATCH/wh"
dpkg-deb -x "$SCRATCH/out1/$WH.deb" "$SCRATCH/wh"
lock_sha=$(sha256sum "$SCRATCH/wh/opt/wheelhouses/test-wheelhouse/wheelhouse.lock" | cut -d' ' -f1)
grep -q "^X-Cleanroom-Wheelhouse: $lock_sha\$" "$SCRATCH/out1/$VE.buildinfo" \
  || fail "venv .buildinfo does not record the wheelhouse lock's hash"
grep -q "^X-Cleanroom-Recipe: [0-9a-f]\{64\}$" "$SCRATCH/out1/$VE.buildinfo" \
  || fail "venv .buildinfo lacks the recipe hash"
pass "records carry snapshot, recipe and wheelhouse hashes"
unzip -l "$SCRATCH/wh/opt/wheelhouses/test-wheelhouse/zcrc-0.1.0-cp311-cp311-linux_x86_64.whl" \
  | grep -q 'zcrc/_zcrc.cpython-311-x86_64-linux-gnu.so' || fail "the zcrc wheel has no extension"
pass "the C extension was compiled"

# The venv package.
depends=$(dpkg-deb -f "$SCRATCH/out1/$VE.deb" Depends)
assert_contains "$depends" "python3 (>= 3.11), python3 (<< 3.12)" "Depends pins the Python minor"
assert_contains "$depends" "zlib1g" "Depends names the package of libz.so.1"
assert_contains "$depends" "adduser" "Depends keeps the recipe's extras"
vcontents=$(dpkg-deb --contents "$SCRATCH/out1/$VE.deb")
assert_contains "$vcontents" "./usr/bin/greet-svc -> /opt/venvs/test-greet/bin/greet-svc" "greet-svc linked"
assert_contains "$vcontents" "./usr/bin/zcrc -> /opt/venvs/test-greet/bin/zcrc" "zcrc linked"
case "$vcontents" in
  *site-packages/pip/*|*site-packages/setuptools/*) fail "the venv holds pip or setuptools" ;;
esac
pass "no pip or setuptools in the venv"
grep -q 'cleanroom: no C compiler in this step' "$SCRATCH/out1/$VE.build" \
  || fail "the venv step did not prove the compiler gone"
pass "the venv step ran without a compiler"
mkdir "$SCRATCH/ve"
dpkg-deb -x "$SCRATCH/out1/$VE.deb" "$SCRATCH/ve"
head -1 "$SCRATCH/ve/opt/venvs/test-greet/bin/greet-svc" | grep -qx '#!/opt/venvs/test-greet/bin/python' \
  || fail "console script shebang is not the install path"
find "$SCRATCH/ve" -name '*.pyc' | head -1 | grep -q . || fail "no .pyc compiled"
python3 - "$SCRATCH/ve" <<'PY'
import pathlib, sys
for p in pathlib.Path(sys.argv[1]).rglob("*.pyc"):
    flags = int.from_bytes(p.read_bytes()[4:8], "little")
    assert flags == 3, (p, flags)  # PEP 552 checked-hash
PY
pass "shebangs at the install path, .pyc checked-hash"
if grep -rl -e '/cleanroom/' -e "$SCRATCH" "$SCRATCH/ve" >/dev/null; then
  fail "the venv names a build path: $(grep -rl -e /cleanroom/ -e "$SCRATCH" "$SCRATCH/ve")"
fi
pass "no build path in the venv"

# Installed with dpkg in a fresh snapshot with no compiler.
chmod 0755 "$SCRATCH" "$SCRATCH/out1"
got=$(cr run --bind "$SCRATCH/out1:/debs:ro" -- sh -c '
  rm -f /usr/bin/gcc /usr/bin/cc /usr/bin/x86_64-linux-gnu-gcc* /usr/bin/gcc-[0-9]*
  if command -v gcc >/dev/null; then echo "gcc still there"; exit 1; fi
  dpkg -i /debs/'"$VE"'.deb >/dev/null && greet-svc --version && zcrc hello')
assert_eq "greet-svc 1.0.0
3610a686 hello" "$got" "installed venv runs its console scripts"

# Reproducible: two builds give the same bytes.
for f in $WH.deb $WH.buildinfo $WH.changes $VE.deb $VE.buildinfo $VE.changes; do
  cmp "$SCRATCH/out1/$f" "$SCRATCH/out2/$f" || fail "$f differs between two builds"
done
pass "two builds of wheelhouse and venv are bit-identical"
