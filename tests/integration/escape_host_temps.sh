#!/bin/sh
# Outputs are written to a temporary sibling and renamed. A FIFO or a link
# planted where that temporary used to be predictable (.NAME.tmp-0) is never
# opened: `snapshot export` completes (a FIFO there once made it wait forever)
# and the planted files are left as they were.
. "$CLEANROOM_TEST_LIB"
# A store of its own with one tiny snapshot: the shared one is never changed.
mkdir -p "$SCRATCH/out" "$SCRATCH/tree/usr/lib" "$SCRATCH/tree/var/lib/dpkg" "$SCRATCH/tree/etc"
printf 'ID=debian\nVERSION_CODENAME=bookworm\n' > "$SCRATCH/tree/usr/lib/os-release"
printf 'Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\n\n' \
  > "$SCRATCH/tree/var/lib/dpkg/status"
echo 12.0 > "$SCRATCH/tree/etc/debian_version"
tar -C "$SCRATCH/tree" --owner=0 --group=0 --numeric-owner -cf "$SCRATCH/tiny.tar" usr var etc
export CLEANROOM_STORE="$SCRATCH/store"
cr snapshot import "$SCRATCH/tiny.tar" --name tiny >/dev/null 2>&1 ||
  fail "importing a tiny snapshot failed: $(cr snapshot import "$SCRATCH/tiny.tar" --name tiny 2>&1)"
printf 'victim, must keep its bytes\n' > "$SCRATCH/victim"
for ext in tar tar.zst; do
  mkfifo "$SCRATCH/out/.b.$ext.tmp-0"
  ln -s "$SCRATCH/victim" "$SCRATCH/out/.b.$ext.tmp-1"
done
for ext in tar tar.zst; do
  run_rc timeout 300 "$CLEANROOM" snapshot export tiny "$SCRATCH/out/b.$ext" \
    >"$SCRATCH/export.log" 2>&1
  [ "$rc" != 124 ] || fail "export to .$ext waited on the planted FIFO"
  assert_eq 0 "$rc" "export to .$ext beside a planted FIFO and link completes"
  [ -p "$SCRATCH/out/.b.$ext.tmp-0" ] || fail "the planted FIFO for .$ext was replaced"
  [ -L "$SCRATCH/out/.b.$ext.tmp-1" ] || fail "the planted link for .$ext was replaced"
  pass "the planted FIFO and link beside b.$ext are untouched"
done
assert_eq "victim, must keep its bytes" "$(cat "$SCRATCH/victim")" "the link's target keeps its bytes"
[ "$(find "$SCRATCH/out" -name '.b.*.tmp-*' | wc -l)" = 4 ] ||
  fail "temporaries left beside the exports: $(ls -a "$SCRATCH/out")"
pass "no temporary of the exports is left"
