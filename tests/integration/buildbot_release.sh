#!/bin/sh
# The example release built by a real buildbot (Debian's 3.7) on two workers,
# master and workers on 127.0.0.1 with free ports (scripts/buildbot/local-cluster,
# master.cfg as docs/ci.md shows it): every node, verify nodes included, is
# its own build; both workers build; the .debs in the artifact store equal
# those of `cleanroom plan --run` on one machine; a second release rebuilds
# nothing; a worker killed in the middle of a build leaves no partial
# artifact, and the release still completes. The GitLab pipeline made from
# the same plan has the same nodes and edges.
. "$CLEANROOM_TEST_LIB"
for tool in buildbot buildbot-worker git; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps installs it)"
done
BB="$CLEANROOM_SOURCE_DIR/scripts/buildbot"
CLUSTER="$SCRATCH/cluster"
STORE="$SCRATCH/artifacts"
REPO="$SCRATCH/release"
# Every process the cluster started ends with the test, whatever ends it.
stop_all() { "$BB/local-cluster" --dir "$CLUSTER" stop || true; cleanup_scratch; }
trap stop_all EXIT
trap 'exit 1' INT TERM HUP

cp -R "$CLEANROOM_SOURCE_DIR/recipes" "$REPO"
"$CLEANROOM_SOURCE_DIR/scripts/example-sdists" "$REPO/demo-wheelhouse/sources" >/dev/null
git -C "$REPO" init -q -b main
commit() { git -C "$REPO" add -A && git -C "$REPO" -c user.name=t -c user.email=t@example.org commit -qm "$1"; }
commit "the example release"
(cd "$REPO" && cr plan . --out out --verify --json) > "$SCRATCH/plan.json"

# One machine, for the bytes to compare with; its verify nodes run too, and
# are remembered like builds.
for run in local-first local-again; do
  (cd "$REPO" && cr -q plan . --out "$SCRATCH/local" --verify --run -j 2 --json) >"$SCRATCH/$run.json" \
    2>"$SCRATCH/local.err" || { cat "$SCRATCH/local.err" >&2; fail "plan --verify --run on one machine failed"; }
done
/usr/bin/python3 - "$SCRATCH/local-first.json" "$SCRATCH/local-again.json" <<'PY'
import json, sys
first, again = (json.load(open(p)) for p in sys.argv[1:])
got = {r["id"]: r["outcome"] for r in first["results"]}
assert first["ok"] and len(got) == 6 and set(got.values()) == {"built"}, got
verify = [r for r in first["results"] if r["id"].startswith("verify-")]
assert len(verify) == 3 and all(r["outputs"] == [] for r in verify), verify
assert {r["outcome"] for r in again["results"]} == {"reused"}, again
PY
pass "plan --verify --run on one machine verifies every package, and a second run reuses it all"

"$BB/local-cluster" --dir "$CLUSTER" start --workers 2 --plan "$SCRATCH/plan.json" \
  --plan-command "cleanroom plan . --out out --verify --json" --repository "$REPO" --store "$STORE" \
  --env "PATH=$(dirname "$CLEANROOM"):/usr/sbin:/usr/bin:/sbin:/bin" --env "CLEANROOM_STORE=$CLEANROOM_STORE" \
  >"$SCRATCH/start.txt" 2>&1 || { cat "$SCRATCH/start.txt" "$CLUSTER"/master/twistd.log >&2; fail "the cluster did not start"; }
pass "a buildbot master and two workers run ($(cat "$SCRATCH/start.txt"))"

release() { # name: runs a release of HEAD, its summary into $SCRATCH/name.json
  "$BB/local-cluster" --dir "$CLUSTER" release --repository "$REPO" \
    --revision "$(git -C "$REPO" rev-parse HEAD)" --timeout 600 >"$SCRATCH/$1.json" 2>"$SCRATCH/$1.err" ||
    { cat "$SCRATCH/$1.json" "$SCRATCH/$1.err" >&2; fail "release $1 failed"; }
}
release first
/usr/bin/python3 - "$SCRATCH/first.json" "$SCRATCH/plan.json" <<'PY'
import json, sys
run, plan = (json.load(open(p)) for p in sys.argv[1:])
ids = sorted(n["id"] for n in plan["nodes"])
assert sorted(n["node"] for n in run["nodes"]) == ids, (run, ids)
assert all(n["result"] == 0 and n["built"] for n in run["nodes"]), run
assert sum(n["kind"] == "verify" for n in plan["nodes"]) == 3, plan
workers = {n["worker"] for n in run["nodes"]}
assert workers == {"worker1", "worker2"}, f"one worker built everything: {run}"
PY
pass "every node, three verify nodes among them, is its own build; both workers built"

/usr/bin/python3 - "$SCRATCH/plan.json" "$STORE" "$SCRATCH/local" <<'PY'
import hashlib, json, os, sys
plan, store, local = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
debs = 0
for n in plan["nodes"]:
    entry = os.path.join(store, "nodes", n["input_hash"])
    manifest = json.load(open(os.path.join(entry, "manifest.json")))
    assert sorted(manifest["outputs"]) == sorted(n["outputs"]), (n, manifest)
    for name in n["outputs"]:
        assert sha(os.path.join(entry, name)) == manifest["outputs"][name], name
        if name.endswith(".deb"):
            assert sha(os.path.join(entry, name)) == sha(os.path.join(local, name)), f"{name} differs from plan --run's"
            debs += 1
assert debs == 3, debs
PY
pass "the store holds every node under the plan's input hashes; its .debs equal plan --run's"
collected=$(find "$CLUSTER"/worker*/release/build/out -maxdepth 1 -name '*.deb' 2>/dev/null | wc -l)
assert_eq 3 "$collected" "the release build collected the three .debs into its out/"

release second
/usr/bin/python3 - "$SCRATCH/second.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
assert len(run["nodes"]) == 6 and all(n["result"] == 0 for n in run["nodes"]), run
built = [n["node"] for n in run["nodes"] if n["built"]]
assert not built, f"rebuilt: {built}"
PY
pass "a second release rebuilds nothing"

# A changed recipe: its build and its verify run again. The worker building
# it is killed mid-build, with its builds: no entry appears for the new
# input hash, and buildbot runs the lost builds again on the other worker.
sed -i 's/says hello (demo venv package)/says hello (demo venv package, reworded)/' "$REPO/hello-cli/recipe.toml"
commit "hello-cli: reworded"
NEW=$(cd "$REPO" && cr plan . --out out --json | /usr/bin/python3 -c \
  'import json, sys; print(next(n["input_hash"] for n in json.load(sys.stdin)["nodes"] if n["id"] == "hello-cli"))')
entries_before=$(ls "$STORE/nodes" | wc -l)
release third &
release_pid=$!
worker=$("$BB/local-cluster" --dir "$CLUSTER" wait-step --node hello-cli --timeout 300) ||
  fail "hello-cli never reached its build step"
"$BB/local-cluster" --dir "$CLUSTER" kill-worker --name "$worker" >/dev/null
[ ! -e "$STORE/nodes/$NEW" ] || fail "the killed build left an entry for $NEW"
assert_eq "$entries_before" "$(ls "$STORE/nodes" | wc -l)" "a worker killed mid-build adds nothing to the store"
"$BB/local-cluster" --dir "$CLUSTER" start-worker --name "$worker"
wait "$release_pid" || fail "the release after the kill failed"
/usr/bin/python3 - "$SCRATCH/third.json" "$STORE" "$NEW" <<'PY'
import hashlib, json, os, sys
run, store, new = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert run["result"] == 0, run
built = sorted(n["node"] for n in run["nodes"] if n["built"])
assert "hello-cli" in built or run["retried"], run
manifest = json.load(open(os.path.join(store, "nodes", new, "manifest.json")))
for name, want in manifest["outputs"].items():
    assert hashlib.sha256(open(os.path.join(store, "nodes", new, name), "rb").read()).hexdigest() == want, name
for entry in os.listdir(os.path.join(store, "nodes")):
    assert os.path.exists(os.path.join(store, "nodes", entry, "manifest.json")), f"partial entry {entry}"
PY
pass "after the kill the release completes and the new entry is whole"

# The GitLab generator, from the same plan: a job per node, needs = edges.
"$CLEANROOM_SOURCE_DIR/scripts/plan-to-gitlab" < "$SCRATCH/plan.json" > "$SCRATCH/gitlab.yml"
/usr/bin/python3 - "$SCRATCH/plan.json" "$SCRATCH/gitlab.yml" <<'PY'
import json, shlex, sys
plan, jobs = (json.load(open(p)) for p in sys.argv[1:])
assert sorted(k for k in jobs if k != "stages") == sorted(n["id"] for n in plan["nodes"]), jobs.keys()
for n in plan["nodes"]:
    job = jobs[n["id"]]
    assert [d["job"] for d in job["needs"]] == n["depends_on"], (n, job)
    assert shlex.split(job["script"][0]) == n["command"], (n, job)
    assert ("artifacts" in job) == (n["kind"] != "verify"), job
    assert job.get("artifacts", {"paths": []})["paths"] == [f"out/{o}" for o in n["outputs"]], job
PY
pass "the GitLab pipeline from the same plan has its nodes, edges and commands"
