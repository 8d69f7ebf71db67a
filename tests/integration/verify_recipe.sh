#!/bin/sh
# verify of recipes: a wheelhouse and a venv build the same bytes under every
# variation a recipe can take (the others are reported as skipped, with why);
# a wheelhouse whose sdist writes the host name and the year into its wheel is
# caught, the report names the file inside the wheel, and --bisect names
# domain_host and time.
. "$CLEANROOM_TEST_LIB"
R="$SCRATCH/recipes"
mkdir -p "$R/venv" "$SCRATCH/wh-out"
hello_wheelhouse_recipe "$R/wh" "$R/wh/recipe.toml" verify-wheelhouse
hello_venv_recipe "$R/venv/recipe.toml" verify-hello bookworm

out=$(cr verify "$R/wh/recipe.toml")
assert_contains "$out" "result: reproducible" "a wheelhouse recipe is reproducible under variations"
assert_contains "$out" "identical  verify-wheelhouse_1.0-1_amd64.deb" "its package was compared"
assert_contains "$out" "time          clock" "the time variation was active"
assert_contains "$out" "build_path    SKIPPED: a recipe builds at fixed paths" "skipped variations say why"

cr build "$R/wh/recipe.toml" --out "$SCRATCH/wh-out" -q >/dev/null
out=$(cr verify "$R/venv/recipe.toml" --wheelhouse "$SCRATCH/wh-out/verify-wheelhouse_1.0-1_amd64.deb" 2>&1) ||
  fail "verify of the venv recipe failed: $out"
assert_contains "$out" "identical  verify-hello_1.0-1_amd64.deb" "a venv recipe is reproducible under variations"

# The trap: setup.py writes the host name and the year into the package.
T="$SCRATCH/trap-0.1.0"
mkdir -p "$R/trap/sources"
setuptools_project "$T" trap
cat >"$T/setup.py" <<'PY'
import socket, time
from setuptools import setup
with open("trap/built.py", "w") as f:
    f.write("HOST = %r\nYEAR = %r\n" % (socket.gethostname(), time.gmtime().tm_year))
setup()
PY
tar -C "$SCRATCH" --sort=name --mtime=@1704067200 --owner=0 --group=0 --numeric-owner \
  -cf - trap-0.1.0 | gzip -n >"$R/trap/sources/trap-0.1.0.tar.gz"
sed 's/verify-wheelhouse/verify-trap/; s/"hello-cli"/"trap"/' "$R/wh/recipe.toml" >"$R/trap/recipe.toml"
capture cr verify "$R/trap/recipe.toml" --bisect
assert_eq 1 "$rc" "the trap recipe is not reproducible"
assert_contains "$out" "trap-0.1.0-py3-none-any.whl::trap/built.py: text content differs" \
  "the report names the file inside the wheel"
assert_contains "$out" "time          CAUSES A DIFFERENCE" "--bisect names time"
assert_contains "$out" "domain_host   CAUSES A DIFFERENCE" "--bisect names domain_host"
assert_contains "$out" "timezone      no difference" "--bisect clears the others"
