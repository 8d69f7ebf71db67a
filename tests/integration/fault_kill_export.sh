#!/bin/sh
# SIGKILL of `snapshot export` while it writes its temporary file (a copy to
# .tar.zst, a recompression to .tar.gz): the previous file of that name keeps its bytes,
# and the store is free for the next change.
. "$CLEANROOM_TEST_LIB"
. "$CLEANROOM_SOURCE_DIR/scripts/fault-inject"

fault_small_archive "$SCRATCH/small.tar"
mkdir "$SCRATCH/out"
for ext in tar.zst tar.gz; do
  printf 'previous export, must survive\n' > "$SCRATCH/out/b.$ext"
done
(cd "$SCRATCH/out" && sha256sum b.tar.zst b.tar.gz) > "$SCRATCH/before"

# Killed once its temporary file exists: a copy of a warm file can take less
# than a tenth of a second, so a few tries may be needed.
killed_export() { # ext
  for _ in 1 2 3 4 5; do
    fault_start "$SCRATCH/export.log" snapshot export bookworm "$SCRATCH/out/b.$1"
    for _ in $(seq 500); do
      set -- "$1" "$SCRATCH"/out/.b."$1".tmp-*
      [ -e "$2" ] && break
      kill -0 "$FAULT_PID" 2>/dev/null || break
    done
    fault_kill && return 0
  done
  fail "every export to .$1 ended before the kill: $(cat "$SCRATCH/export.log")"
}
for ext in tar.zst tar.gz; do
  killed_export "$ext"
  (cd "$SCRATCH/out" && sha256sum -c --quiet "$SCRATCH/before") ||
    fail "export to .$ext killed: a previous file changed"
  pass "export to .$ext killed: the previous file keeps its bytes"
done
# SIGKILL runs no clean-up: the temporary sibling stays (never under the
# name) until the next write of the same target removes it.
temps=$(find "$SCRATCH/out" -name '.*.tmp-*' | wc -l)
echo "note: killed exports left $temps temporary file(s) beside their targets"

fault_assert_store_recovers "after the killed exports" "$SCRATCH/small.tar"
cr snapshot export bookworm "$SCRATCH/out/b.tar.zst"
id=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["id"])')
assert_eq "$id" "$(sha256sum < "$SCRATCH/out/b.tar.zst" | cut -d' ' -f1)" \
  "the next export works (its hash is the id)"
cr snapshot export bookworm "$SCRATCH/out/b.tar.gz"
assert_eq "" "$(find "$SCRATCH/out" -name '.*.tmp-*')" \
  "the next exports removed the killed ones' temporary files"
