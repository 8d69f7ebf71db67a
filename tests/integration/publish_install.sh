#!/bin/sh
# From build to staging repository: build a package, test-install it (smoke
# command, purge, nothing left behind), publish it with reprepro into a new
# repository, and install it with apt from that repository in a fresh snapshot.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
chmod 0755 "$SCRATCH"

cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c"
mkdir "$SCRATCH/out"
cr build "$SCRATCH/hello-c" --out "$SCRATCH/out" --no-run-lintian -q >/dev/null 2>&1
DEB="$SCRATCH/out/cleanroom-hello_1.0_amd64.deb"

cr test "$DEB" --offline --run cleanroom-hello --run 'test -x /usr/bin/cleanroom-hello' --json >"$SCRATCH/t.json"
python3 - "$SCRATCH/t.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"], j
names = [p["name"] for p in j["phases"]]
assert names == ["install", "run: cleanroom-hello", "run: test -x /usr/bin/cleanroom-hello", "purge", "leftovers"], names
assert j["snapshot"]["name"] == "bookworm" and len(j["snapshot"]["id"]) == 64, j["snapshot"]
PY
pass "install test: install, smoke commands, purge, no leftovers"

run_rc cr test "$DEB" --offline --run 'exit 3' >"$SCRATCH/t2.out" 2>&1
assert_eq 1 "$rc" "a failing smoke command fails the test"
assert_contains "$(cat "$SCRATCH/t2.out")" "FAIL run: exit 3: exit 3" "the report names the command and its status"

cr publish "$SCRATCH/repo" "$SCRATCH/out/cleanroom-hello_1.0_amd64.changes" --codename bookworm-staging \
  --json >"$SCRATCH/publish.json"
python3 - "$SCRATCH/publish.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["created"] is True and j["codename"] == "bookworm-staging", j
assert [a.rsplit("/", 1)[-1] for a in j["added"]] == ["cleanroom-hello_1.0_amd64.changes"], j
PY
pass "publish --json says the repository was created and what was added"
[ -f "$SCRATCH/repo/conf/distributions" ] || fail "no conf/distributions created"
[ -f "$SCRATCH/repo/dists/bookworm-staging/Release" ] || fail "no Release file"
ls "$SCRATCH/repo/pool/main/c/cleanroom-hello/cleanroom-hello_1.0_amd64.deb" >/dev/null
pass "published into a new repository"

# Only the staging repository as apt source: no network needed.
got=$(cr run --bind "$SCRATCH/repo:/repo:ro" -- sh -c '
  echo "deb [trusted=yes] file:/repo bookworm-staging main" > /etc/apt/sources.list
  rm -f /etc/apt/sources.list.d/*
  apt-get -q update >/dev/null 2>&1 && apt-get -q -y install cleanroom-hello >/dev/null 2>&1 && cleanroom-hello')
assert_eq "hello from cleanroom-hello" "$got" "apt installs from the published repository"

run_rc cr publish "$SCRATCH/repo" "$SCRATCH/out/cleanroom-hello_1.0_amd64.changes" --codename other 2>"$SCRATCH/p.err"
assert_eq 2 "$rc" "unknown codename in an existing repository is an input error"
assert_contains "$(cat "$SCRATCH/p.err")" "Codename: other" "the error names the codename"

# A repository path that is a file: refused before reprepro runs, file untouched.
echo keep >"$SCRATCH/not-a-repo"
err=$(cr publish "$SCRATCH/not-a-repo" "$SCRATCH/out/cleanroom-hello_1.0_amd64.changes" 2>&1 || true)
assert_contains "$err" "repository '$SCRATCH/not-a-repo' is not a directory" "a file as repository is named"
assert_eq 2 "$(status_of cr publish "$SCRATCH/not-a-repo" "$SCRATCH/out/cleanroom-hello_1.0_amd64.changes")" \
  "a file as repository exits 2"
assert_eq keep "$(cat "$SCRATCH/not-a-repo")" "the file is untouched"
