#!/bin/sh
# What /proc would tell a build about the host (boot options, kernel
# configuration, disks and their traffic, the boot id) reads as empty inside,
# while /proc itself keeps working.
. "$CLEANROOM_TEST_LIB"
[ -s /proc/cmdline ] || skip "this host's /proc/cmdline is empty: nothing to hide"
for f in /proc/cmdline /proc/partitions /proc/diskstats /proc/sys/kernel/random/boot_id; do
  [ -e "$f" ] || continue
  assert_eq "" "$(cr run -- cat "$f")" "$f reads as empty inside"
done
[ -e /proc/config.gz ] && assert_eq "0" "$(cr run -- sh -c 'wc -c < /proc/config.gz')" "/proc/config.gz is empty inside"
assert_contains "$(cr run -- cat /proc/self/status)" "Name:" "the rest of /proc works"
assert_eq "" "$(cr run -- sh -c 'echo x > /proc/cmdline; cat /proc/cmdline')" "writing to a mask changes nothing"
