#!/bin/sh
# Venv recipe options: `bytecode = false` ships no .pyc at all, `include_pip =
# true` gives the venv its own pip; both stay reproducible (two builds identical).
. "$CLEANROOM_TEST_LIB"
W="$SCRATCH/release"
hello_wheelhouse_recipe "$W" "$W/wheelhouse.toml" options-wheelhouse
cat > "$W/venv.toml" <<'TOML'
format = 1
kind = "venv"
name = "options-hello"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "venv without bytecode, with pip"
snapshot = "bookworm"
source_date_epoch = 1704067200
requirements = ["hello-cli"]
bytecode = false
include_pip = true
TOML
mkdir "$SCRATCH/out1" "$SCRATCH/out2"
cr -q build "$W/wheelhouse.toml" --out "$SCRATCH/out1" >/dev/null 2>&1 || fail "wheelhouse build failed"
for n in 1 2; do
  cr -q build "$W/venv.toml" --wheelhouse "$SCRATCH/out1/options-wheelhouse_1.0-1_amd64.deb" \
    --out "$SCRATCH/out$n" >/dev/null 2>"$SCRATCH/venv$n.err" || { cat "$SCRATCH/venv$n.err" >&2; fail "venv build $n failed"; }
done
DEB=options-hello_1.0-1_amd64.deb
contents=$(dpkg-deb --contents "$SCRATCH/out1/$DEB")
case "$contents" in *.pyc*) fail "bytecode = false still shipped .pyc files" ;; esac
pass "no .pyc in the package"
echo "$contents" | grep -q '/opt/venvs/options-hello/bin/pip' || fail "include_pip: no pip in the venv"
echo "$contents" | grep -q 'site-packages/pip/__init__.py' || fail "include_pip: pip's package missing"
pass "the venv has its own pip"
cmp "$SCRATCH/out1/$DEB" "$SCRATCH/out2/$DEB" || fail "two builds differ"
pass "two builds are identical"
