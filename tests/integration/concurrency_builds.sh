#!/bin/sh
# Five builds at once on one snapshot: hello-c twice into different --out
# directories, hello-c with another version, hello-py and netprobe. All succeed;
# the two builds of the same source give identical bytes, and the same bytes
# as a build run alone afterwards; the other version differs only where the
# version does. Builds sharing a dependency set race to publish one layer.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

for f in hello-c hello-py netprobe; do cp -a "$FIXTURES/$f" "$SCRATCH/$f"; done
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c-1.1"
sed -i '1s/(1.0)/(1.1)/' "$SCRATCH/hello-c-1.1/debian/changelog"
mounts_before=$(fault_host_mounts)

started=""
start() { # name source
  mkdir "$SCRATCH/out-$1"
  "$CLEANROOM" build "$SCRATCH/$2" --out "$SCRATCH/out-$1" --no-run-lintian --json \
    >"$SCRATCH/$1.json" 2>"$SCRATCH/$1.err" &
  started="$started $1=$!"
}
start a hello-c
start b hello-c
start v11 hello-c-1.1
start py hello-py
start net netprobe
for job in $started; do
  run_rc wait "${job#*=}"
  assert_eq 0 "$rc" "concurrent build '${job%%=*}' succeeds ($(tail -3 "$SCRATCH/${job%%=*}.err"))"
done

deb=cleanroom-hello_1.0_amd64.deb
for f in $deb cleanroom-hello-dbgsym_1.0_amd64.deb cleanroom-hello_1.0_amd64.buildinfo \
         cleanroom-hello_1.0_amd64.changes; do
  cmp "$SCRATCH/out-a/$f" "$SCRATCH/out-b/$f" || fail "$f differs between two concurrent builds"
done
pass "two concurrent builds of hello-c are bit-identical"
[ -f "$SCRATCH/out-v11/cleanroom-hello_1.1_amd64.deb" ] || fail "no 1.1 .deb"
[ -f "$SCRATCH/out-py/python3-cleanroom-greet_1.0_all.deb" ] || fail "no python3-cleanroom-greet .deb"
[ -f "$SCRATCH/out-net/cleanroom-netprobe_1.0_all.deb" ] || fail "no netprobe .deb"
pass "every concurrent build published its .deb"
dpkg-deb --fsys-tarfile "$SCRATCH/out-net/cleanroom-netprobe_1.0_all.deb" |
  tar -xOf - ./usr/share/cleanroom-netprobe/probe-result.txt > "$SCRATCH/probe"
if grep -q CONNECTED "$SCRATCH/probe"; then fail "netprobe connected: $(cat "$SCRATCH/probe")"; fi
pass "netprobe, built next to the others, reached nothing"

# The 1.1 build differs from 1.0 in the version only: same program bytes.
dpkg-deb --fsys-tarfile "$SCRATCH/out-a/$deb" | tar -xOf - ./usr/bin/cleanroom-hello > "$SCRATCH/p10"
dpkg-deb --fsys-tarfile "$SCRATCH/out-v11/cleanroom-hello_1.1_amd64.deb" |
  tar -xOf - ./usr/bin/cleanroom-hello > "$SCRATCH/p11"
cmp "$SCRATCH/p10" "$SCRATCH/p11" || fail "the program differs between versions 1.0 and 1.1"
assert_eq "1.1" "$(dpkg-deb -f "$SCRATCH/out-v11/cleanroom-hello_1.1_amd64.deb" Version)" \
  "the 1.1 build carries its version"

for n in a b v11 py net; do fault_assert_no_temp "build '$n'" "$SCRATCH/out-$n"; done
FAULT_STORE=$CLEANROOM_TEST_STORE fault_assert_store_whole "after five concurrent builds"
assert_eq "$mounts_before" "$(fault_host_mounts)" "host mounts unchanged"

# Alone, afterwards: the same bytes as under contention.
mkdir "$SCRATCH/out-alone"
cr build "$SCRATCH/hello-c" --out "$SCRATCH/out-alone" --no-run-lintian -q >/dev/null
cmp "$SCRATCH/out-a/$deb" "$SCRATCH/out-alone/$deb" || fail "a build alone differs from a concurrent one"
pass "a build alone gives the bytes of the concurrent ones"
