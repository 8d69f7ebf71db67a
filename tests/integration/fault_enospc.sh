#!/bin/sh
# A full output filesystem (a 64 KiB tmpfs): `build --out` and `snapshot
# export` fail with a clear error and a non-zero exit, leave no partial or
# temporary file, and leave the previous artifact of the same name untouched.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
require_root "mounting a tmpfs"

tiny="$SCRATCH/tiny"
mkdir "$tiny"
mount -t tmpfs -o size=64k,mode=0755 cleanroom-fault-tiny "$tiny"
cleanup_tiny() { umount "$tiny" 2>/dev/null || umount -l "$tiny"; cleanup_scratch; }
trap cleanup_tiny EXIT

# The previous artifacts, and a filler that leaves a few KiB free: less than
# any of the new files needs.
printf 'previous .deb, must survive\n' > "$tiny/cleanroom-hello_1.0_amd64.deb"
printf 'previous export, must survive\n' > "$tiny/x.tar.zst"
(cd "$tiny" && sha256sum cleanroom-hello_1.0_amd64.deb x.tar.zst) > "$SCRATCH/before"
head -c $((56 * 1024)) /dev/zero > "$tiny/filler" 2>/dev/null || true
files_before=$(ls -A "$tiny")

check_tiny() { # what
  assert_eq "$files_before" "$(ls -A "$tiny")" "$1: no new file on the full filesystem"
  fault_assert_no_temp "$1" "$tiny"
  (cd "$tiny" && sha256sum -c --quiet "$SCRATCH/before") || fail "$1: a previous artifact changed"
  pass "$1: the previous artifacts are untouched"
}

run_rc cr snapshot export bookworm "$tiny/x.tar.zst" >"$SCRATCH/export.out" 2>&1
assert_eq 3 "$rc" "export to a full filesystem exits 3 (the machine's state)"
assert_contains "$(cat "$SCRATCH/export.out")" "No space left on device" "export says why"
check_tiny "export"

cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c"
run_rc cr build "$SCRATCH/hello-c" --out "$tiny" --no-run-lintian >"$SCRATCH/build.out" 2>&1
assert_eq 3 "$rc" "build into a full filesystem exits 3"
assert_contains "$(cat "$SCRATCH/build.out")" "No space left on device" "build says why"
check_tiny "build"

# Room for the .debs but not for the .buildinfo after them: the build fails,
# and still no file of it may replace the previous one. (Every output must be
# written before the first is renamed into place.)
rm "$tiny/filler" "$tiny/cleanroom-hello_1.0_amd64.deb"
printf 'previous .deb, must survive\n' > "$tiny/cleanroom-hello_1.0_amd64.deb"
head -c $((52 * 1024)) /dev/zero > "$tiny/filler" 2>/dev/null || true
files_before=$(ls -A "$tiny")
run_rc cr build "$SCRATCH/hello-c" --out "$tiny" --no-run-lintian >"$SCRATCH/build2.out" 2>&1
assert_eq 3 "$rc" "build into an almost full filesystem exits 3"
assert_contains "$(cat "$SCRATCH/build2.out")" "No space left on device" "build says why"
# The .build log of the failed build may be published; nothing else.
rm -f "$tiny/cleanroom-hello_1.0_amd64.build"
check_tiny "build with room for some outputs"
