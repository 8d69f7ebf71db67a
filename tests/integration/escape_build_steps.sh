#!/bin/sh
# The escape attempts of the run suite, made by a hostile debian/rules during
# `cleanroom build` (as the unprivileged build user, offline): every one is
# blocked, and the host is unchanged.
. "$CLEANROOM_TEST_LIB"
cp -a "$CLEANROOM_SOURCE_DIR/tests/data/fixtures/hostile-build" "$SCRATCH/hostile"
mkdir "$SCRATCH/out"
mounts_before=$(wc -l < /proc/self/mountinfo)
hostname_before=$(hostname)
cr build "$SCRATCH/hostile" --out "$SCRATCH/out" --no-run-lintian -q >/dev/null 2>&1 || fail "the hostile build failed"
dpkg-deb -x "$SCRATCH/out/cleanroom-hostile_1.0_all.deb" "$SCRATCH/x"
result="$SCRATCH/x/usr/share/cleanroom-hostile/escape-result.txt"
cat "$result"
assert_eq 18 "$(grep -c ': BLOCKED ' "$result")" "all 18 attempts blocked"
if grep -q ESCAPED "$result"; then fail "escaped: $(grep ESCAPED "$result")"; fi
for a in mount unshare-user setns chroot keyctl-add-key bpf mknod-device socket-inet socket-packet; do
  grep -q "^$a: BLOCKED EPERM$" "$result" || fail "$a: expected EPERM, got $(grep "^$a:" "$result")"
done
pass "namespace, mount, key, bpf, device and socket calls fail with EPERM"
assert_eq "$hostname_before" "$(hostname)" "host name unchanged"
assert_eq "$mounts_before" "$(wc -l < /proc/self/mountinfo)" "host mount table unchanged"
[ ! -e /etc/cleanroom-escaped ] || fail "a file appeared in the host's /etc"
pass "host unchanged"
