#!/bin/sh
# cleanroom cache list shows every dependency layer with its size; cache prune
# removes layers on removed snapshots, those unused for --older-than and the
# least recently used past --max-size, keeps a layer a build holds, and says
# what it would do with --dry-run.
. "$CLEANROOM_TEST_LIB"

# The shared store: as many layers listed as there are, each with its size.
cr cache list --json >"$SCRATCH/real.json"
python3 - "$SCRATCH/real.json" "$CLEANROOM_TEST_STORE/layers" <<'PY'
import json, os, sys
layers = json.load(open(sys.argv[1]))
on_disk = [d for d in os.listdir(sys.argv[2])] if os.path.isdir(sys.argv[2]) else []
assert len(layers) == len(on_disk), (len(layers), on_disk)
for l in layers:
    assert l["size"] > 0 and l["snapshot"] and l["last_used"] >= l["created"], l
PY
pass "cache list shows the store's layers with their sizes"

# A store of its own, with hand-made layers on a snapshot it has (the shared
# store's bookworm, its description only) and on one it does not.
store="$SCRATCH/store"
base=$(cr snapshot list --json | python3 -c '
import json, sys
print(next(s["id"] for s in json.load(sys.stdin) if "bookworm" in s["names"]))')
export CLEANROOM_STORE="$store"
cr snapshot list >/dev/null
mkdir -p "$store/snapshots/$base/root"
cp "$CLEANROOM_TEST_STORE/snapshots/$base/meta.json" "$store/snapshots/$base/"
key() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
now=$(date +%s)
make_layer() { # name base days-since-use KiB
  k=$(key "$1")
  mkdir -p "$store/layers/$k/upper"
  head -c "$(($4 * 1024))" /dev/urandom >"$store/layers/$k/upper/payload"
  printf '{"format_version": 1, "key": "%s", "base_snapshot": "%s", "request": "%s", "packages": [], "created": %s}\n' \
    "$k" "$2" "$1" "$((now - 86400 * 60))" >"$store/layers/$k/layer.json"
  touch -d "@$((now - 86400 * $3))" "$store/in-use/layer-$k"
}
make_layer orphan "$(key gone-snapshot)" 0 100
make_layer old "$base" 40 100
make_layer mid "$base" 10 100
make_layer new "$base" 0 100
left() { cr cache list --json | python3 -c 'import json, sys; print(" ".join(sorted(l["request"] for l in json.load(sys.stdin))))'; }

out=$(cr cache prune --dry-run)
assert_contains "$out" "would remove layer $(key orphan)" "dry run names the layer on a removed snapshot"
assert_eq "mid new old orphan" "$(left)" "dry run removes nothing"

# A build holds the old layer: prune leaves it and says so.
# One process holds the lock, as a build holds it: killing it releases it.
(exec 9<"$store/in-use/layer-$(key old)"; flock -s 9; exec sleep 30) &
holder=$!
i=0
until [ "$(cr cache prune --older-than 30d --dry-run --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["in_use"]))')" = 1 ]; do
  i=$((i + 1)); [ "$i" -lt 50 ] || fail "the held layer never showed as in use"; sleep 0.1
done
cr cache prune --older-than 30d --json >"$SCRATCH/held.json"
kill "$holder"; wait "$holder" 2>/dev/null || true
python3 - "$SCRATCH/held.json" "$(key orphan)" "$(key old)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["removed"] == [sys.argv[2]] and r["in_use"] == [sys.argv[3]] and r["freed"] > 0, r
PY
assert_eq "mid new old" "$(left)" "a layer in use is kept, the orphan goes"

cr cache prune --older-than 30d >/dev/null
assert_eq "mid new" "$(left)" "--older-than removes the layer unused for 40 days"

# Two layers of 100 KiB over a limit of 150K: the less recently used goes.
cr cache prune --max-size 150K >/dev/null
assert_eq "new" "$(left)" "--max-size removes the least recently used first"
assert_eq "" "$(ls "$store/tmp")" "nothing is left half removed in the store's tmp"

run_rc cr cache prune --older-than 3 2>"$SCRATCH/bad.err"
assert_eq 2 "$rc" "a duration without a unit: exit 2"
assert_contains "$(cat "$SCRATCH/bad.err")" "--older-than 3: give a number and a unit" "the error names the option"
