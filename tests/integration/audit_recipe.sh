#!/bin/sh
# audit of packages built from recipes: the .buildinfo records the recipe's
# hash, the snapshot id and the wheelhouse's hash. A wheelhouse and a venv
# built by cleanroom are reproduced from their recipe (and, for the venv, its
# wheelhouse); a missing or changed recipe is an input error saying what to
# give; a tampered venv is not reproduced and the report names the file.
. "$CLEANROOM_TEST_LIB"
R="$SCRATCH/recipes"
mkdir -p "$R/venv" "$SCRATCH/ship"
hello_wheelhouse_recipe "$R/wh" "$R/wh/recipe.toml" audit-wheelhouse
hello_venv_recipe "$R/venv/recipe.toml" audit-hello bookworm
WH="$SCRATCH/ship/audit-wheelhouse_1.0-1_amd64.deb"
VENV="$SCRATCH/ship/audit-hello_1.0-1_amd64.deb"
cr build "$R/wh/recipe.toml" --out "$SCRATCH/ship" -q >/dev/null
cr build "$R/venv/recipe.toml" --wheelhouse "$WH" --out "$SCRATCH/ship" -q >/dev/null
grep -q "^X-Cleanroom-Recipe: [0-9a-f]\{64\}$" "$SCRATCH/ship/audit-hello_1.0-1_amd64.buildinfo" \
  || fail "the venv's .buildinfo does not record its recipe"

out=$(cr audit "$WH" --source "$R/wh/recipe.toml")
assert_contains "$out" "reproduced: the rebuild is identical" "the wheelhouse is reproduced from its recipe"
out=$(cr audit "$VENV" --source "$R/venv/recipe.toml" --wheelhouse "$WH")
assert_contains "$out" "reproduced: the rebuild is identical" "the venv is reproduced from its recipe and wheelhouse"

err=$(cr audit "$VENV" 2>&1 || true)
assert_contains "$err" "was built from a recipe (sha256 " "no --source: the error asks for the recipe"
assert_eq 2 "$(status_of cr audit "$VENV")" "no --source exits 2"
cp "$R/venv/recipe.toml" "$SCRATCH/changed.toml"
sed -i 's/^description = .*/description = "another description"/' "$SCRATCH/changed.toml"
err=$(cr audit "$VENV" --source "$SCRATCH/changed.toml" --wheelhouse "$WH" 2>&1 || true)
assert_contains "$err" "give the recipe this package was built from" "a changed recipe is refused"
assert_eq 2 "$(status_of cr audit "$VENV" --source "$SCRATCH/changed.toml" --wheelhouse "$WH")" \
  "a changed recipe exits 2"

# One byte changed in one file of the venv.
mkdir "$SCRATCH/tamper"
dpkg-deb -R "$VENV" "$SCRATCH/tamper/tree"
init=$(find "$SCRATCH/tamper/tree" -path '*hello_cli/__init__.py' | head -n1)
[ -n "$init" ] || fail "the venv holds no hello_cli/__init__.py"
sed -i '1s/^/#/' "$init"
case $(ar t "$VENV" | grep '^data.tar') in
  *.zst) comp=zstd ;; *.gz) comp=gzip ;; *) comp=xz ;;
esac
dpkg-deb --root-owner-group -Z"$comp" -b "$SCRATCH/tamper/tree" "$SCRATCH/tamper/$(basename "$VENV")" >/dev/null
cp "$SCRATCH/ship/audit-hello_1.0-1_amd64.buildinfo" "$SCRATCH/tamper/"
capture cr audit "$SCRATCH/tamper/$(basename "$VENV")" --source "$R/venv/recipe.toml" --wheelhouse "$WH"
assert_eq 1 "$rc" "a tampered venv is not reproduced"
assert_contains "$out" "NOT reproduced" "verdict"
assert_contains "$out" "hello_cli/__init__.py" "the report names the changed file"
