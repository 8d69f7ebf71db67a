#!/bin/sh
# A SIGKILLed import leaves no half snapshot and no name; the next store open
# removes its work dir, and the next import works. Killed twice: while
# extracting, and while packing (just before publishing).
. "$CLEANROOM_TEST_LIB"
store="$SCRATCH/store"
# A part of bookworm (about 100 MB): big enough to take seconds, small enough
# to keep the test short on two shared cores.
root=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
tar -C "$root" --owner=0 --group=0 --numeric-owner --zstd -cf "$SCRATCH/b.tar.zst" \
  etc usr/bin usr/lib/python3.11

kill_when() { # phase: wait until a file matching the glob exists, then SIGKILL
  phase_glob=$1
  "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/b.tar.zst" --name killed \
    >/dev/null 2>&1 &
  pid=$!
  i=0
  while :; do
    # shellcheck disable=SC2086
    set -- $store/tmp/*/$phase_glob
    [ -e "$1" ] && break
    kill -0 "$pid" 2>/dev/null || fail "import finished before it could be killed"
    i=$((i + 1))
    [ "$i" -lt 3000 ] || fail "import never reached the phase"
    sleep 0.01
  done
  kill -KILL "$pid"
  wait "$pid" || true
}

for phase in extract/usr snapshot/snapshot.tar.zst; do
  kill_when "$phase"
  [ ! -e "$store/names/killed" ] || fail "killed at $phase: a name was written"
  assert_eq "" "$(find "$store/snapshots" -mindepth 1)" "killed at $phase: no snapshot stored"
  [ -n "$(find "$store/tmp" -mindepth 1 -maxdepth 1)" ] || fail "expected a stale work dir"
  cr --store "$store" snapshot list >/dev/null
  assert_eq "" "$(find "$store/tmp" -mindepth 1 -maxdepth 1)" \
    "killed at $phase: the next open removed the stale work dir"
done

out=$(cr --store "$store" snapshot import "$SCRATCH/b.tar.zst" --name killed)
assert_contains "$out" "snapshot 'killed'" "the next import works"
assert_eq 0 "$(status_of cr --store "$store" snapshot verify killed)" "and verifies"
