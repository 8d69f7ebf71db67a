#!/bin/sh
# Batch builds from a plan: the JSON plan validates against docs/plan.schema.json;
# a wheelhouse and two venvs build in dependency order; a second run rebuilds
# nothing; changing one venv recipe rebuilds only it; changing the wheelhouse
# recipe rebuilds it and both venvs.
. "$CLEANROOM_TEST_LIB"
R="$SCRATCH/recipes"
mkdir -p "$R/wheelhouse/sources" "$R/greet" "$R/hello"
pack_fixture_sdists "$R/wheelhouse/sources" hello-cli-0.1.0 greet-svc-1.0.0
cat > "$R/wheelhouse/recipe.toml" <<'TOML'
format = 1
kind = "wheelhouse"
name = "batch-wheelhouse"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = ["greet-svc", "hello-cli"]
TOML
for svc in greet:greet-svc hello:hello-cli; do
  dir=${svc%%:*}; req=${svc#*:}
  cat > "$R/$dir/recipe.toml" <<TOML
format = 1
kind = "venv"
name = "batch-$dir"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "batch test venv $dir"
snapshot = "bookworm"
source_date_epoch = 1704067200
requirements = ["$req"]
TOML
done
OUT="$SCRATCH/out"

# The plan's commands are portable: plain `cleanroom`, no store, paths
# relative to the root (here the scratch directory), so another worker's
# checkout runs them as they are.
(cd "$SCRATCH" && cr plan recipes --out out --json) > "$SCRATCH/plan.json"
/usr/bin/python3 - "$SCRATCH/plan.json" "$SCRATCH" <<'PY'
import json, os, sys
plan, root = json.load(open(sys.argv[1])), os.path.realpath(sys.argv[2])
assert plan["format_version"] == 3 and plan["root"] == root and plan["out_dir"] == "out", plan
wh = plan["nodes"][0]
assert wh["recipe"] == "recipes/wheelhouse/recipe.toml", wh
assert wh["command"] == ["cleanroom", "build", "recipes/wheelhouse/recipe.toml", "--out", "out"], wh
for n in plan["nodes"]:
    assert root not in " ".join(n["command"]) and "--store" not in n["command"], n
PY
pass "plan commands are portable: cleanroom, no --store, paths relative to the root"
assert_eq "$(cat "$SCRATCH/plan.json")" "$(cr plan "$R" --out "$OUT" --root "$SCRATCH" --json)" "--root makes the same plan from anywhere"
assert_eq "$(cat "$SCRATCH/plan.json")" "$(cr plan "$R" --out "$OUT" --root "$SCRATCH" --format json)" "--format json is --json"
/usr/bin/python3 - "$CLEANROOM_SOURCE_DIR/docs/plan.schema.json" "$SCRATCH/plan.json" <<'PY'
import json, sys, jsonschema
schema, plan = (json.load(open(p)) for p in sys.argv[1:])
jsonschema.validate(plan, schema)
ids = [n["id"] for n in plan["nodes"]]
assert ids[0] == "batch-wheelhouse", ids
assert sorted(ids[1:]) == ["batch-greet", "batch-hello"], ids
for n in plan["nodes"][1:]:
    assert n["depends_on"] == ["batch-wheelhouse"], n
PY
pass "plan JSON validates against the schema, wheelhouse first"

outcomes() { # prints "id outcome" lines from a batch table
  awk '$1 ~ /^batch-/ && $2 ~ /^(built|reused|FAILED|skipped)$/ {print $1, $2}' "$1" | sort
}
(cd "$SCRATCH" && cr plan recipes --out out --run -j 2) >/dev/null 2>"$SCRATCH/run1.txt" || { cat "$SCRATCH/run1.txt" "$OUT"/.cleanroom-batch/*.log >&2; fail "first batch failed"; }
assert_eq "batch-greet built
batch-hello built
batch-wheelhouse built" "$(outcomes "$SCRATCH/run1.txt")" "first run builds everything"

# `cleanroom build DIR` is the same batch.
cr build "$R" --out "$OUT" >/dev/null 2>"$SCRATCH/run2.txt"
assert_eq "batch-greet reused
batch-hello reused
batch-wheelhouse reused" "$(outcomes "$SCRATCH/run2.txt")" "second run (cleanroom build DIR) rebuilds nothing"
# -q: only the result paths, on stdout.
cr -q plan "$R" --out "$OUT" --run > "$SCRATCH/quiet.out" 2> "$SCRATCH/quiet.err"
assert_eq "" "$(cat "$SCRATCH/quiet.err")" "plan -q --run prints nothing on stderr when all is well"
assert_eq 12 "$(wc -l < "$SCRATCH/quiet.out")" "plan -q --run prints the twelve result paths"
while read -r f; do [ -f "$f" ] || fail "plan -q printed $f, which is not a file"; done < "$SCRATCH/quiet.out"
# With --json the batch is one JSON document on stdout.
cr -q build "$R" --out "$OUT" --json > "$SCRATCH/batch.json"
/usr/bin/python3 - "$SCRATCH/batch.json" "$OUT" <<'PY'
import json, os, sys
b = json.load(open(sys.argv[1]))
assert b["ok"] is True and b["format_version"] == 1, b
got = sorted((r["id"], r["outcome"]) for r in b["results"])
assert got == [("batch-greet", "reused"), ("batch-hello", "reused"), ("batch-wheelhouse", "reused")], got
for r in b["results"]:
    assert r["outputs"] and all(os.path.exists(o) for o in r["outputs"]), r
PY
pass "build DIR --json: one document with every recipe's outcome and outputs"

# The venv packages install and run, and leave nothing behind when purged.
cr test "$OUT/batch-greet_1.0-1_amd64.deb" --offline --run 'greet-svc --version' >"$SCRATCH/test.txt" 2>&1 \
  || { cat "$SCRATCH/test.txt" >&2; fail "install test of batch-greet failed"; }
pass "venv package passes its install test"

# Publish all three to a new staging repository; apt installs a venv from it.
chmod 0755 "$SCRATCH"
cr publish "$SCRATCH/repo" "$OUT"/batch-*.changes --codename bookworm-batch >/dev/null
got=$(cr run --bind "$SCRATCH/repo:/repo:ro" -- sh -c '
  echo "deb [trusted=yes] file:/repo bookworm-batch main" > /etc/apt/sources.list
  rm -f /etc/apt/sources.list.d/*
  apt-get -q update >/dev/null 2>&1 && apt-get -q -y install batch-hello >/dev/null 2>&1 && hello --version')
assert_contains "$got" "0.1.0" "apt installs a venv package from the published repository and it runs"

sed -i 's/description = "batch test venv hello"/description = "batch test venv hello, changed"/' "$R/hello/recipe.toml"
cr plan "$R" --out "$OUT" --run -j 2 >/dev/null 2>"$SCRATCH/run3.txt"
assert_eq "batch-greet reused
batch-hello built
batch-wheelhouse reused" "$(outcomes "$SCRATCH/run3.txt")" "a changed venv recipe rebuilds only itself"

sed -i 's/version = "1.0-1"/version = "1.0-2"/' "$R/wheelhouse/recipe.toml"
cr plan "$R" --out "$OUT" --run -j 2 >/dev/null 2>"$SCRATCH/run4.txt"
assert_eq "batch-greet built
batch-hello built
batch-wheelhouse built" "$(outcomes "$SCRATCH/run4.txt")" "a changed wheelhouse rebuilds it and its dependents"

# The GitLab pipeline generated from the plan keeps the plan's edges.
"$CLEANROOM_SOURCE_DIR/scripts/plan-to-gitlab" < "$SCRATCH/plan.json" > "$SCRATCH/gitlab.yml"
/usr/bin/python3 - "$SCRATCH/gitlab.yml" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["batch-greet"]["needs"] == [{"job": "batch-wheelhouse", "artifacts": True}], p
assert p["batch-wheelhouse"]["needs"] == [], p
assert p["batch-hello"]["script"][0].startswith("cleanroom build recipes/hello/recipe.toml --out out"), p
assert p["batch-hello"]["artifacts"]["paths"] == ["out/batch-hello_1.0-1_amd64.deb", "out/batch-hello_1.0-1_amd64.buildinfo", "out/batch-hello_1.0-1_amd64.changes", "out/batch-hello_1.0-1_amd64.cdx.json"], p
PY
pass "GitLab pipeline from the plan"
