#!/bin/sh
# kill -9 of `cleanroom build` during the prepare step (apt installing build
# dependencies, network on) and during the build step (dpkg-buildpackage):
# no process or mount is left, no layer is half published, nothing reaches
# --out (no .deb, no temporary file), the store lock is free, and the next
# build of the same source works.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

fault_small_archive "$SCRATCH/small.tar"
mounts_before=$(fault_host_mounts)
mkdir "$SCRATCH/out" "$SCRATCH/tmp"
chmod 0755 "$SCRATCH" "$SCRATCH/tmp"
# A build works in a work directory under the store's tmp/, which the next
# store open removes when its owner is gone.

# 1. During prepare. A build dependency no other build asks for gives a layer
# key of its own, so prepare runs every time (and is killed a few seconds in).
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-prep"
sed -i "s/^Build-Depends: .*/&, make (>= 1.$$)/" "$SCRATCH/hello-prep/debian/control"
layers_before=$(ls "$FAULT_STORE/layers" 2>/dev/null || true)
fault_start "$SCRATCH/prep.log" build "$SCRATCH/hello-prep" --out "$SCRATCH/out" --no-run-lintian
fault_wait_for_text "$FAULT_STORE/tmp/*/log/build.log" 300 "+ apt-get update"
sleep 1
fault_kill || fail "the build ended by itself: $(cat "$SCRATCH/prep.log")"
killed="$FAULT_PID"
# shellcheck disable=SC2086
fault_assert_gone "build killed in prepare" $FAULT_TREE
assert_eq "$mounts_before" "$(fault_host_mounts)" "killed in prepare: host mounts unchanged"
assert_eq "$layers_before" "$(ls "$FAULT_STORE/layers" 2>/dev/null || true)" \
  "killed in prepare: no layer published"
assert_eq "" "$(ls -A "$SCRATCH/out")" "killed in prepare: --out is empty"

# 2. Inside dpkg-buildpackage: a copy of hello-c whose build sleeps first (the
# layer is prepared before, if no test did yet). The sleep's command line is
# the marker to wait for, and to look for afterwards.
marker="1234.$$"
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-slow"
printf '\noverride_dh_auto_build:\n\tsleep %s\n\tdh_auto_build\n' "$marker" \
  >> "$SCRATCH/hello-slow/debian/rules"
fault_start "$SCRATCH/build.log" build "$SCRATCH/hello-slow" --out "$SCRATCH/out" --no-run-lintian
for _ in $(seq 4000); do
  pgrep -f "^sleep $marker" >/dev/null && break
  kill -0 "$FAULT_PID" 2>/dev/null || fail "the build ended early: $(cat "$SCRATCH/build.log")"
  sleep 0.1
done
pgrep -f "^sleep $marker" >/dev/null || fail "the build never reached dpkg-buildpackage"
fault_kill || fail "the build ended by itself: $(cat "$SCRATCH/build.log")"
killed="$killed $FAULT_PID"
# shellcheck disable=SC2086
fault_assert_gone "build killed in dpkg-buildpackage" $FAULT_TREE
if pgrep -f "^sleep $marker" >/dev/null; then fail "the build's sleep survived"; fi
assert_eq "$mounts_before" "$(fault_host_mounts)" "killed in dpkg-buildpackage: host mounts unchanged"
debs=$(find "$SCRATCH/out" -name '*.deb')
assert_eq "" "$debs" "killed in dpkg-buildpackage: no .deb in --out"
fault_assert_no_temp "killed in dpkg-buildpackage" "$SCRATCH/out"

fault_assert_store_recovers "after the killed builds" "$SCRATCH/small.tar"
fault_assert_store_whole "after the killed builds"
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c"
cr build "$SCRATCH/hello-c" --out "$SCRATCH/out" --no-run-lintian -q ||
  fail "the next build failed"
dpkg-deb --info "$SCRATCH/out/cleanroom-hello_1.0_amd64.deb" >/dev/null
pass "the next build works"
fault_assert_no_temp "after the next build" "$SCRATCH/out"
# The killed builds' work directories (named after their pid) went with the
# next store open. Other tests' builds may have live ones there.
left=$(for p in $killed; do ls -d "$FAULT_STORE/tmp/$p"-* 2>/dev/null || true; done)
assert_eq "" "$left" "no work directory of a killed build is left"
