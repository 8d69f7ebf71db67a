#!/bin/sh
# Stored snapshots hold setuid programs owned by the sandbox's root (a store
# id): a local user who reached one would act as that id, which owns every
# stored tree, and could change another snapshot. Root's store lets in only
# root and the store's group (the sandbox's root, which must reach its lower
# dirs); a user's store only the user.
. "$CLEANROOM_TEST_LIB"
require_root "another user trying to reach root's store"
U=cleanroom-outsider
test_user "$U" no-range
store="$CLEANROOM_STORE"
gid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id_map"]["host_gid_base"])' "$store/store.json")
assert_eq "750 0 $gid" "$(stat -c '%a %u %g' "$store")" "root's store is 0750, group the store's"
setuid=$(find "$store/snapshots" -maxdepth 5 -path '*/root/usr/bin/*' -perm -4000 -print -quit)
[ -n "$setuid" ] || fail "no setuid program in the stored snapshots: nothing to protect here"
runuser -u "$U" -- ls "$store/snapshots" >/dev/null 2>&1 && fail "another user lists root's snapshots"
pass "another user cannot reach root's snapshots"
runuser -u "$U" -- "$setuid" --version >/dev/null 2>&1 && fail "another user ran a stored setuid program"
pass "nor run a stored setuid program"
assert_eq "hello" "$(cr run -- echo hello)" "the sandbox still reaches its snapshot"

as_user "$U" snapshot list >/dev/null
assert_eq "700" "$(stat -c %a "$SCRATCH/$U/store")" "a user's store is the user's alone"
