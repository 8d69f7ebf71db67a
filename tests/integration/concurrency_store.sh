#!/bin/sh
# Store changes racing with its readers: while one process imports and removes
# a small snapshot over and over, others start runs on bookworm and list and
# verify the store. Every command succeeds, each run sees its pristine
# snapshot, and nothing is left behind.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"

fault_small_archive "$SCRATCH/small.tar"
name="race-$$"
rounds=20

changer() {
  i=0
  while [ "$i" -lt "$rounds" ]; do
    "$CLEANROOM" snapshot import "$SCRATCH/small.tar" --name "$name" >/dev/null || exit 1
    "$CLEANROOM" snapshot rm "$name" >/dev/null || exit 2
    i=$((i + 1))
  done
}
runner() { # n
  i=0
  while [ "$i" -lt "$rounds" ]; do
    got=$("$CLEANROOM" run -- sh -c 'touch /etc/dirty-$$; ls /etc | grep -c "^dirty-"') || exit 1
    [ "$got" = 1 ] || { echo "run saw $got dirty files" >&2; exit 2; }
    i=$((i + 1))
  done
}
reader() {
  i=0
  while [ "$i" -lt "$rounds" ]; do
    "$CLEANROOM" snapshot list >/dev/null || exit 1
    "$CLEANROOM" snapshot verify "$name" >/dev/null 2>&1 || true  # may be gone: not an error here
    i=$((i + 1))
  done
}

changer >"$SCRATCH/changer.log" 2>&1 &
p_changer=$!
runner >"$SCRATCH/run1.log" 2>&1 &
p_run1=$!
runner >"$SCRATCH/run2.log" 2>&1 &
p_run2=$!
reader >"$SCRATCH/reader.log" 2>&1 &
p_reader=$!
for job in changer:$p_changer run1:$p_run1 run2:$p_run2 reader:$p_reader; do
  run_rc wait "${job#*:}"
  assert_eq 0 "$rc" "${job%%:*} ($(tail -3 "$SCRATCH/${job%%:*}.log"))"
done

[ ! -e "$FAULT_STORE/names/$name" ] || fail "the raced name is left"
fault_assert_store_whole "after the race"
fault_assert_store_recovers "after the race" "$SCRATCH/small.tar"
