#!/bin/sh
# A normal user's sandbox where no cgroup can be made (cgroup v1): a fork bomb
# whose children switch among the user's subordinate uids still stops near
# --pids-limit, because the helper lowers its own RLIMIT_NPROC before making
# the sandbox's user namespace, and the kernel charges every process of that
# namespace to its creator against that limit (Linux 5.14+ ucounts).
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"
U=cleanroom-forker
test_user "$U" with-range
require_user_namespaces "$U"
command -v newuidmap >/dev/null || skip "newuidmap (uidmap) is not installed"

cr snapshot export bookworm "$SCRATCH/$U/bookworm.tar.zst"
chown "$U:" "$SCRATCH/$U/bookworm.tar.zst"
as_user "$U" snapshot import "$SCRATCH/$U/bookworm.tar.zst" --name bookworm --suite bookworm >/dev/null

out=$(as_user "$U" run --pids-limit 40 -- python3 -c "$FORK_BOMB_ACROSS_UIDS")
n=$(echo "$out" | awk '/^started/ {print $2}')
[ -n "$n" ] || fail "the probe did not run: $out"
[ "$n" -lt 60 ] || fail "a user's fork bomb across uids started $n processes past --pids-limit 40"
pass "a user's fork bomb across uids stops near the limit ($n started)"
assert_eq 0 "$(as_user "$U" run -- true; echo $?)" "an ordinary command still runs"
