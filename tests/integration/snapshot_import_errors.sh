#!/bin/sh
# Corrupt, truncated or hostile archives fail with exit 2 and leave the store
# exactly as it was (names, snapshots, no work dirs left); an export into a
# missing directory is refused the same way.
. "$CLEANROOM_TEST_LIB"

state() {
  (cd "$CLEANROOM_TEST_STORE" && find names snapshots -maxdepth 1 | sort && cat names/*)
}
before=$(state)

cr snapshot export bookworm "$SCRATCH/b.tar.zst"
size=$(stat -c %s "$SCRATCH/b.tar.zst")
head -c $((size / 2)) "$SCRATCH/b.tar.zst" > "$SCRATCH/truncated.tar.zst"
err=$(cr snapshot import "$SCRATCH/truncated.tar.zst" --name truncated 2>&1 || true)
assert_eq 2 "$(status_of cr snapshot import "$SCRATCH/truncated.tar.zst" --name truncated)" \
  "a truncated archive exits 2"
assert_contains "$err" "truncated.tar.zst" "the error names the archive"

head -c 100000 /dev/urandom > "$SCRATCH/garbage.tar.gz"
assert_eq 2 "$(status_of cr snapshot import "$SCRATCH/garbage.tar.gz" --name garbage)" \
  "a corrupt archive exits 2"

python3 - "$SCRATCH/evil.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    data = b"x\n"
    for name in ("ok", "../../escape"):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
err=$(cr snapshot import "$SCRATCH/evil.tar" --name evil 2>&1 || true)
assert_eq 2 "$(status_of cr snapshot import "$SCRATCH/evil.tar" --name evil)" \
  "an archive escaping its root exits 2"
[ ! -e "$CLEANROOM_TEST_STORE/escape" ] && [ ! -e "$CLEANROOM_TEST_STORE/tmp/escape" ] ||
  fail "a hostile entry was written outside the extraction root"
pass "nothing written outside"

assert_eq 2 "$(status_of cr snapshot import "$SCRATCH/missing.tar" --name missing)" \
  "a missing file exits 2"
assert_eq 2 "$(status_of cr snapshot import "$SCRATCH/b.tar.zst" --name 'bad/name')" \
  "a bad name exits 2"

assert_eq "$before" "$(state)" "names and snapshots are unchanged"
# Work dirs of live tests may exist; ours must be gone (they carry our pids only
# while we run, so any left now would have a dead owner and no lock).
cr snapshot list >/dev/null
leftover=$(for d in "$CLEANROOM_TEST_STORE"/tmp/*; do
  [ -d "$d" ] || continue
  # Opened, not created: a lock file made here would land in a dir its
  # live owner is deleting. A dir without one is being made or deleted.
  if { flock -n 9; } 2>/dev/null 9<"$d/owner.lock"; then echo "$d"; fi
done)
assert_eq "" "$leftover" "no stale work dirs"

# Export into a directory that does not exist: an input error naming it, and
# nothing written.
err=$(cr snapshot export bookworm "$SCRATCH/no-such-dir/b.tar.zst" 2>&1 || true)
assert_contains "$err" "directory '$SCRATCH/no-such-dir' does not exist" "export names the missing directory"
assert_eq 2 "$(status_of cr snapshot export bookworm "$SCRATCH/no-such-dir/b.tar.zst")" \
  "export into a missing directory exits 2"
[ ! -e "$SCRATCH/no-such-dir" ] || fail "export created the directory"
