#!/bin/sh
# The default snapshot runs the Python pipeline: scripts/setup creates
# bookworm with python3 and python3-venv, the README says so, the example
# recipes name that snapshot, and a snapshot without the interpreter stops at
# inspect with the command that makes one.
. "$CLEANROOM_TEST_LIB"
S="$CLEANROOM_SOURCE_DIR"
grep -q 'snapshot create bookworm --name bookworm --include python3,python3-venv' "$S/scripts/setup" \
  || fail "scripts/setup does not create bookworm with python3 and python3-venv"
grep -q 'bookworm snapshot (with python3, python3-venv)' "$S/README.md" \
  || fail "the README does not say what the default snapshot holds"
for recipe in "$S"/recipes/*/recipe.toml; do
  grep -qx 'snapshot = "bookworm"' "$recipe" || fail "$recipe is not on the default snapshot"
done
pass "scripts/setup, README and recipes/ agree on the default snapshot"

# No interpreter where the recipe says: inspect names the fix.
mkdir -p "$SCRATCH/wh/sources" "$SCRATCH/out"
cat > "$SCRATCH/wh/recipe.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "no-python"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
python = "/usr/bin/python2.7"
sources = "sources"
requirements = ["hello-cli"]
TOML
capture cr build "$SCRATCH/wh/recipe.toml" --out "$SCRATCH/out"
assert_eq 1 "$rc" "the inspect step fails on a snapshot without the interpreter"
assert_contains "$out" "no usable interpreter '/usr/bin/python2.7'" "the interpreter is named"
assert_contains "$out" "cleanroom snapshot create bookworm --name bookworm --force --include python3,python3-venv" \
  "the error names the command that creates the snapshot with python3"
