#!/bin/sh
# What /proc would tell a build about the host (boot options, kernel
# configuration, disks and their traffic, the boot id) reads as empty inside,
# while /proc itself keeps working.
. "$CLEANROOM_TEST_LIB"
[ -s /proc/cmdline ] || skip "this host's /proc/cmdline is empty: nothing to hide"
for f in /proc/cmdline /proc/partitions /proc/diskstats /proc/sys/kernel/random/boot_id; do
  [ -e "$f" ] || continue
  # Captured first: under set -e a sandbox that fails ends the test, where an
  # empty substitution inside assert_eq would pass.
  content=$(cr run -- cat "$f")
  assert_eq "" "$content" "$f reads as empty inside"
done
if [ -e /proc/config.gz ]; then
  size=$(cr run -- sh -c 'wc -c < /proc/config.gz')
  assert_eq "0" "$size" "/proc/config.gz is empty inside"
fi
assert_contains "$(cr run -- cat /proc/self/status)" "Name:" "the rest of /proc works"
after=$(cr run -- sh -c 'echo x > /proc/cmdline 2>/dev/null; cat /proc/cmdline')
assert_eq "" "$after" "writing to a mask changes nothing"

# Where the host keeps things: the store's path (the overlay's layers) must not
# show in the sandbox's mountinfo, nor the helper's host path in pid 1's
# command line.
store_real=$(readlink -f "$CLEANROOM_STORE")
mountinfo=$(cr run -- cat /proc/self/mountinfo)
case "$mountinfo" in *"$store_real"*) fail "mountinfo names the store: $mountinfo" ;; esac
pass "mountinfo does not name the store"
assert_contains "$mountinfo" "lowerdir=/layers/0" "the overlay names its layers by links in the staging tmpfs"
helper_dir=$(dirname "$(readlink -f "$CLEANROOM")")
pid1=$(cr run -- sh -c 'tr "\0" " " < /proc/1/cmdline')
case "$pid1" in *"$helper_dir"*) fail "pid 1's command line names a host path: $pid1" ;; esac
assert_contains "$pid1" "cleanroom-sandbox --spec-fd" "pid 1's command line is the helper's bare name"
