#!/bin/sh
# SIGKILL of `snapshot import` of a whole bookworm export at fixed times (0.2 s
# to 4 s in: opening the store, decompressing, extracting): no name and no half
# snapshot appear, no process or mount is left, the next store open removes the
# work dirs, the store lock is free, and every snapshot still verifies.
# (snapshot_kill.sh kills at named phases in a scratch store; this one kills
# by the clock in the shared store, next to the snapshot other tests use.)
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"

cr snapshot export bookworm "$SCRATCH/b.tar.zst"
fault_small_archive "$SCRATCH/small.tar"
mounts_before=$(fault_host_mounts)
snapshots_before=$(ls "$FAULT_STORE/snapshots")

killed=0
for t in 0.2 0.5 1 2 4; do
  name="fault-kill-$$-$t"
  fault_start "$SCRATCH/import-$t.log" snapshot import "$SCRATCH/b.tar.zst" --name "$name"
  sleep "$t"
  if fault_kill; then killed=$((killed + 1)); else
    echo "note: the import killed at $t s had already ended: $(cat "$SCRATCH/import-$t.log")"
    continue
  fi
  # shellcheck disable=SC2086
  fault_assert_gone "import killed at $t s" $FAULT_TREE
  [ ! -e "$FAULT_STORE/names/$name" ] || fail "killed at $t s: the name was written"
  assert_eq "$snapshots_before" "$(ls "$FAULT_STORE/snapshots")" "killed at $t s: no snapshot added"
  assert_eq "$mounts_before" "$(fault_host_mounts)" "killed at $t s: host mounts unchanged"
done
[ "$killed" -ge 3 ] || fail "only $killed of 5 imports were still running when killed"

fault_assert_store_recovers "after $killed killed imports" "$SCRATCH/small.tar"
fault_assert_store_whole "after $killed killed imports"
listed=$(cr snapshot list | awk 'NR > 1 {print $1}' | grep -c "^fault-kill-$$-" || true)
assert_eq 0 "$listed" "snapshot list shows none of the killed imports"
out=$(cr snapshot verify 2>&1) || fail "snapshot verify after the kills: $out"
pass "every snapshot in the store verifies"
