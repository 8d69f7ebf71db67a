#!/bin/sh
# What the Python pipelines refuse, and how they say so: an sdist whose C
# extension cannot compile (named, its log kept), a platform-tagged wheel
# without compiled code (reported unless the recipe allows it), a venv
# requirement the wheelhouse cannot satisfy (named with its constraint and the
# versions there). Also: a venv from a wheelhouse directory, with the default
# /usr/bin link of its console script.
. "$CLEANROOM_TEST_LIB"
PROJECTS="$CLEANROOM_SOURCE_DIR/tests/data/python/projects"
W="$SCRATCH/release"
mkdir -p "$W/sources" "$SCRATCH/out"
for p in hello-cli-0.1.0 fakeplat-0.1.0; do
  tar -C "$PROJECTS" -czf "$W/sources/$p.tar.gz" "$p"
done
# An extension that needs a header no package installs, like a forgotten -dev.
mkdir -p "$SCRATCH/needsdev-0.1.0"
cat > "$SCRATCH/needsdev-0.1.0/setup.py" <<'PY'
from setuptools import Extension, setup
setup(name="needsdev", version="0.1.0",
      ext_modules=[Extension("needsdev", ["needsdev.c"], libraries=["cleanroomtest"])])
PY
printf '#include <cleanroom-test-missing.h>\n' > "$SCRATCH/needsdev-0.1.0/needsdev.c"
tar -C "$SCRATCH" -czf "$W/sources/needsdev-0.1.0.tar.gz" needsdev-0.1.0
wheelhouse_recipe() { # name requirements [extra lines]
  cat <<TOML
format = 1
kind = "wheelhouse"
name = "$1"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = $2
${3:-}
TOML
}

# Options only a Debian source build has are refused by name for a recipe
# (exit 2) instead of being dropped.
wheelhouse_recipe wh-options '["needsdev"]' > "$W/options.toml"
touch "$SCRATCH/extra.deb"
for opt in "--extra-package=$SCRATCH/extra.deb" -A -B --shell-on-failure --extra-repository=x; do
  capture cr build "$W/options.toml" --out "$SCRATCH/out" "$opt"
  assert_eq 2 "$rc" "build of a recipe with $opt exits 2"
  assert_contains "$out" "applies to Debian source builds only" "$opt is refused"
done
assert_contains "$out" "--extra-repository" "the refused option is named"
# -j is one wheelhouse's sdists at once; for a batch of recipes it points at plan --run -j.
capture cr build "$W" --out "$SCRATCH/out" -j2
assert_eq 2 "$rc" "build of a directory of recipes with -j exits 2"
assert_contains "$out" "cleanroom plan DIR --out OUT --run -j N" "-j on a batch points at plan --run -j"
[ ! -e "$SCRATCH/out/wh-options_1.0-1_all.build" ] || fail "a refused build started"
pass "options of Debian source builds are refused for recipes"

wheelhouse_recipe wh-nozlib '["needsdev"]' > "$W/nozlib.toml"
run_rc cr build "$W/nozlib.toml" --out "$SCRATCH/out" > "$SCRATCH/nozlib.out" 2>&1
assert_eq 1 "$rc" "a failed sdist build exits 1"
msg=$(cat "$SCRATCH/nozlib.out")
assert_contains "$msg" "step wheels failed" "the wheels step failed"
assert_contains "$msg" "needsdev 0.1.0" "the error names the distribution"
assert_contains "$msg" "needsdev-0.1.0.wheel.log" "the error names the kept log"
assert_contains "$msg" "cleanroom-test-missing.h: No such file or directory" "the error shows the log's end"
assert_contains "$msg" "build_packages" "a missing header suggests build_packages"
grep -q 'cleanroom-test-missing.h' "$SCRATCH/out/needsdev-0.1.0.wheel.log" \
  || fail "the kept log lacks the compiler error"
pass "the distribution's log is kept"
[ ! -e "$SCRATCH/out/wh-nozlib_1.0-1_amd64.deb" ] || fail "a failed build published a .deb"

# A platform-tagged wheel with no compiled module.
wheelhouse_recipe wh-fallback '["fakeplat"]' > "$W/fallback.toml"
run_rc cr build "$W/fallback.toml" --out "$SCRATCH/out" > "$SCRATCH/fallback.out" 2>&1
assert_eq 1 "$rc" "the pure-fallback check fails the build"
msg=$(cat "$SCRATCH/fallback.out")
assert_contains "$msg" "step check failed" "the check step failed"
assert_contains "$msg" "fakeplat-0.1.0-cp311-cp311-linux_x86_64.whl" "the wheel is named"
wheelhouse_recipe wh-fallback '["fakeplat"]' 'allow_pure_fallback = ["FakePlat"]' > "$W/fallback.toml"
cr build "$W/fallback.toml" --out "$SCRATCH/out" -q >/dev/null 2>&1 \
  || fail "allow_pure_fallback did not let the wheel through"
pass "allow_pure_fallback lets it through"

# A small wheelhouse, used as a directory.
wheelhouse_recipe wh-hello '["hello-cli"]' > "$W/hello.toml"
cr build "$W/hello.toml" --out "$SCRATCH/out" -q >/dev/null 2>&1 || fail "wheelhouse wh-hello failed"
mkdir "$SCRATCH/wh"
dpkg-deb -x "$SCRATCH/out/wh-hello_1.0-1_amd64.deb" "$SCRATCH/wh"
WHDIR="$SCRATCH/wh/opt/wheelhouses/wh-hello"
venv_recipe() { # requirements
  cat <<TOML
format = 1
kind = "venv"
name = "hello-venv"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "hello (test venv package)"
snapshot = "bookworm"
source_date_epoch = 1704067200
requirements = $1
constraints = "venv-constraints.txt"
TOML
}
echo 'hello-cli<5' > "$W/venv-constraints.txt"
venv_recipe '["hello-cli>=2"]' > "$W/venv-bad.toml"
run_rc cr build "$W/venv-bad.toml" --wheelhouse "$WHDIR" --out "$SCRATCH/out" > "$SCRATCH/bad.out" 2>&1
assert_eq 1 "$rc" "an unsatisfiable venv requirement fails the build"
msg=$(cat "$SCRATCH/bad.out")
assert_contains "$msg" "step resolve failed" "resolution failed"
assert_contains "$msg" "'hello-cli'" "the error names the requirement"
assert_contains "$msg" ">=2" "the error names the requirement's specifier"
assert_contains "$msg" "<5 (constraint" "the error names the constraint"
assert_contains "$msg" "available: 0.1.0" "the error lists the versions in the wheelhouse"

venv_recipe '["hello-cli"]' > "$W/venv.toml"
cr build "$W/venv.toml" --wheelhouse "$WHDIR" --out "$SCRATCH/out" -q >/dev/null 2>&1 \
  || { cat "$SCRATCH/out/hello-venv_1.0-1_amd64.build" >&2; fail "venv from a directory failed"; }
contents=$(dpkg-deb --contents "$SCRATCH/out/hello-venv_1.0-1_amd64.deb")
assert_contains "$contents" "./usr/bin/hello -> /opt/venvs/hello-venv/bin/hello" "default console-script link"
depends=$(dpkg-deb -f "$SCRATCH/out/hello-venv_1.0-1_amd64.deb" Depends)
assert_eq "python3 (>= 3.11), python3 (<< 3.12)" "$depends" "a pure venv depends on Python only"

# A tampered wheelhouse is refused before anything runs in it.
echo garbage >> "$WHDIR/hello_cli-0.1.0-py3-none-any.whl"
run_rc cr build "$W/venv.toml" --wheelhouse "$WHDIR" --out "$SCRATCH/out" > "$SCRATCH/tamper.out" 2>&1
assert_eq 1 "$rc" "a wheelhouse that disagrees with its lock fails"
assert_contains "$(cat "$SCRATCH/tamper.out")" "but the lock says" "the mismatch is named"
