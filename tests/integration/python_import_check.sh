#!/bin/sh
# The venv import check: a top-level requirement that imports pkg_resources
# without declaring setuptools installs fine and breaks on first use; the
# check, on by default, fails the build naming the distribution, the module
# and the fix. include_pip = true (setuptools in the venv) or
# import_check = false let it through; import_check_modules adds a module.
. "$CLEANROOM_TEST_LIB"
W="$SCRATCH/release"
mkdir -p "$W/sources" "$SCRATCH/out"
P="$SCRATCH/usesres-0.1.0"
setuptools_project "$P" usesres
cat >> "$P/pyproject.toml" <<'TOML'
[project.scripts]
usesres = "usesres.cli:main"
TOML
printf 'import pkg_resources\n' > "$P/usesres/__init__.py"
printf 'def main():\n    print("usesres")\n' > "$P/usesres/cli.py"
tar -C "$SCRATCH" --sort=name --mtime=@1704067200 --owner=0 --group=0 --numeric-owner \
  -cf - usesres-0.1.0 | gzip -n > "$W/sources/usesres-0.1.0.tar.gz"
cat > "$W/wheelhouse.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "res-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = ["usesres"]
TOML
cr -q build "$W/wheelhouse.toml" --out "$SCRATCH/out" >/dev/null 2>&1 || fail "wheelhouse build failed"
WH="$SCRATCH/out/res-wheelhouse_1.0-1_amd64.deb"
venv_recipe() { # name [extra lines]
  cat <<TOML
format = 1
kind = "venv"
name = "$1"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "venv of usesres"
snapshot = "bookworm"
source_date_epoch = 1704067200
requirements = ["usesres"]
${2:-}
TOML
}

venv_recipe res-plain > "$W/plain.toml"
capture cr build "$W/plain.toml" --wheelhouse "$WH" --out "$SCRATCH/out"
assert_eq 1 "$rc" "a venv whose module cannot be imported fails"
assert_contains "$out" "step test failed" "the test step failed"
assert_contains "$out" "usesres: 'import usesres.cli' needs module 'pkg_resources'" \
  "the distribution and the modules are named"
assert_contains "$out" "include_pip = true" "the fix is named"
[ ! -e "$SCRATCH/out/res-plain_1.0-1_amd64.deb" ] || fail "a failed import check published a .deb"

venv_recipe res-pip 'include_pip = true' > "$W/pip.toml"
cr -q build "$W/pip.toml" --wheelhouse "$WH" --out "$SCRATCH/out" > "$SCRATCH/pip.out" 2>&1 \
  || { cat "$SCRATCH/pip.out" >&2; fail "include_pip = true did not satisfy pkg_resources"; }
pass "include_pip = true satisfies the import"

venv_recipe res-off 'import_check = false' > "$W/off.toml"
cr -q build "$W/off.toml" --wheelhouse "$WH" --out "$SCRATCH/out" > "$SCRATCH/off.out" 2>&1 \
  || { cat "$SCRATCH/off.out" >&2; fail "import_check = false still checked"; }
pass "import_check = false turns the check off"

venv_recipe res-extra 'include_pip = true
import_check_modules = ["cleanroom_absent_plugin"]' > "$W/extra.toml"
capture cr build "$W/extra.toml" --wheelhouse "$WH" --out "$SCRATCH/out"
assert_eq 1 "$rc" "a listed module that is not there fails the build"
assert_contains "$out" "import_check_modules: 'import cleanroom_absent_plugin' needs module 'cleanroom_absent_plugin'" \
  "a module of import_check_modules is checked"
