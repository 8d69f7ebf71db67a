#!/bin/sh
# A snapshot a sandbox is using is not removed under it: `snapshot rm` refuses
# (and changes nothing, not even the name), `gc` skips it; both work once the
# sandbox has ended. A small snapshot of its own, imported from a tar of a few
# files of the bookworm snapshot.
. "$CLEANROOM_TEST_LIB"
# The sandbox's ids must be able to reach the store's tree.
chmod 0755 "$SCRATCH"
store="$SCRATCH/store"
root=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
tar -C "$root" --owner=0 --group=0 --numeric-owner -cf "$SCRATCH/tiny.tar" \
  bin lib lib64 usr/bin/dash usr/bin/sh usr/bin/sleep usr/lib/x86_64-linux-gnu/libc.so.6 \
  usr/lib64/ld-linux-x86-64.so.2 usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
cr --store "$store" snapshot import "$SCRATCH/tiny.tar" --name tiny >/dev/null
id=$(cr --store "$store" snapshot list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

"$CLEANROOM" --store "$store" run --snapshot tiny -- sleep 30 &
pid=$!
# The sandbox is up once its sleep runs.
for _ in $(seq 100); do pgrep -f "^sleep 30$" >/dev/null && break; sleep 0.1; done
pgrep -f "^sleep 30$" >/dev/null || fail "the sandbox did not start"

capture cr --store "$store" snapshot rm tiny
assert_eq 1 "$rc" "rm of a snapshot in use fails"
assert_contains "$out" "in use by a running sandbox" "the error says why"
[ -e "$store/names/tiny" ] || fail "the refused rm removed the name"
pass "the refused rm changed nothing"
cr --store "$store" snapshot rm tiny --force >/dev/null 2>&1 && fail "rm --force removed a snapshot in use"
pass "--force does not override a running sandbox"

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
cr --store "$store" snapshot rm tiny >/dev/null
assert_eq "" "$(find "$store/snapshots" "$store/names" -mindepth 1)" "removed once the sandbox ended"
[ ! -e "$store/in-use/$id" ] || fail "the in-use lock file of a removed snapshot stayed"
pass "no in-use lock file left"
