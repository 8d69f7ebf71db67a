#!/bin/sh
# kill -9 of `cleanroom run` while the command sleeps, and while it writes files
# (into the overlay root and into a read-write bind): every process of the
# sandbox goes, no mount is left on the host, the bind holds only files that
# belong to the caller, the store lock is free, and the next run works.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"

fault_small_archive "$SCRATCH/small.tar"
mounts_before=$(fault_host_mounts)
marker="1234.$$"  # sleep takes a fraction: a command line no other test has

# 1. A sleeping command, with a child of its own.
fault_start "$SCRATCH/sleep.log" run -- sh -c "sleep $marker & sleep $marker; wait"
for _ in $(seq 150); do [ "$(pgrep -fc "^sleep $marker" || true)" -ge 2 ] && break; sleep 0.1; done
[ "$(pgrep -fc "^sleep $marker" || true)" -ge 2 ] || fail "the sleeping commands did not start: $(cat "$SCRATCH/sleep.log")"
fault_kill || fail "run ended by itself: $(cat "$SCRATCH/sleep.log")"
# shellcheck disable=SC2086
fault_assert_gone "run killed while sleeping" $FAULT_TREE
if pgrep -f "^sleep $marker" >/dev/null; then fail "a sleep survived: $(pgrep -af "^sleep $marker")"; fi
assert_eq "$mounts_before" "$(fault_host_mounts)" "run killed while sleeping: host mounts unchanged"

# 2. A command writing: many small files in the overlay root and in a bind.
mkdir "$SCRATCH/w"
chmod 0755 "$SCRATCH" "$SCRATCH/w"
writer="fault-writer-$$"
# shellcheck disable=SC2016  # expanded by the sandbox's shell
fault_start "$SCRATCH/write.log" run --bind "$SCRATCH/w:/w" -- sh -c '
  i=0
  while :; do
    head -c 65536 /dev/urandom > /var/tmp/f$i
    head -c 65536 /dev/urandom > /w/f$i
    i=$((i + 1))
  done' "$writer"
for _ in $(seq 150); do [ -e "$SCRATCH/w/f20" ] && break; sleep 0.1; done
[ -e "$SCRATCH/w/f20" ] || fail "the writer did not write: $(cat "$SCRATCH/write.log")"
fault_kill || fail "run ended by itself: $(cat "$SCRATCH/write.log")"
# shellcheck disable=SC2086
fault_assert_gone "run killed while writing" $FAULT_TREE
if pgrep -f "$writer" >/dev/null; then fail "the writer survived: $(pgrep -af "$writer")"; fi
assert_eq "$mounts_before" "$(fault_host_mounts)" "run killed while writing: host mounts unchanged"
foreign=$(find "$SCRATCH/w" ! -user "$(id -u)" -o ! -group "$(id -g)")
assert_eq "" "$foreign" "the files written into the bind belong to the caller"
rm -rf "$SCRATCH/w" || fail "the caller cannot remove what the killed run wrote"
pass "the caller removes what the killed run wrote"

fault_assert_store_recovers "after the killed runs" "$SCRATCH/small.tar"
got=$(cr run -- sh -c 'ls /var/tmp | wc -l; echo alive')
assert_eq "0
alive" "$got" "the next run works and starts from the pristine snapshot"
