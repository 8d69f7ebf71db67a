#!/bin/sh
# cleanroom verify catches a package that records the build time, the host
# name, the CPU count, the readdir order, the build path or the umask (through
# the modes dpkg-source -x gives unpacked files): each
# verify fails and names the file, and --bisect names the variation.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

check() { # json trap expected-variation-or-empty
  python3 - "$@" <<'PY'
import json, sys
path, trap, cause = sys.argv[1], sys.argv[2], sys.argv[3]
j = json.load(open(path))
assert not j["reproducible"] and j["error"] == "", j
[a] = j["artifacts"]
assert a["name"] == "unrepro-trap_1.0_all.deb" and not a["identical"], a
paths = [d["path"] for d in a["diff"]["differences"]]
assert any(p.endswith("usr/share/unrepro-trap/" + trap) for p in paths), paths
if cause:
    found = [b["variation"] for b in j["bisect"] if b["differs"]]
    assert found == [cause], (found, j["bisect"])
    assert all(b["error"] == "" for b in j["bisect"]), j["bisect"]
PY
}

for spec in time:time fileorder:fileordering umask:umask hostname:domain_host cpus:num_cpus buildpath:build_path; do
  trap=${spec%%:*} cause=${spec#*:}
  rm -rf "$SCRATCH/src"
  cp -a "$FIXTURES/unrepro-trap" "$SCRATCH/src"
  echo "$trap" >"$SCRATCH/src/debian/trap"
  bisect=${cause:+--bisect}
  src="$SCRATCH/src"
  if [ "$trap" = umask ]; then
    # The umask reaches the package through dpkg-source -x: verify the .dsc.
    (cd "$SCRATCH" && rm -f unrepro-trap_1.0* && dpkg-source -b src >/dev/null)
    src="$SCRATCH/unrepro-trap_1.0.dsc"
  fi
  run_rc cr verify "$src" $bisect --json >"$SCRATCH/$trap.json" 2>"$SCRATCH/$trap.err"
  [ "$rc" = 1 ] || { cat "$SCRATCH/$trap.json" "$SCRATCH/$trap.err" >&2; fail "$trap: verify exited $rc, not 1"; }
  check "$SCRATCH/$trap.json" "$trap" "$cause" || { cat "$SCRATCH/$trap.json" >&2; fail "$trap: wrong report"; }
  pass "trap $trap caught${cause:+, bisect names $cause}"
done

# The text report of a bisect says which variation and which file.
rm -rf "$SCRATCH/src"
cp -a "$FIXTURES/unrepro-trap" "$SCRATCH/src"
echo hostname >"$SCRATCH/src/debian/trap"
out=$(cr verify "$SCRATCH/src" --vary=-all,+domain_host,+umask --bisect || true)
assert_contains "$out" "usr/share/unrepro-trap/hostname" "text report names the file"
assert_contains "$out" "domain_host   CAUSES A DIFFERENCE in unrepro-trap_1.0_all.deb" "text bisect names the variation"
assert_contains "$out" "umask         no difference" "the innocent variation is cleared"
assert_contains "$out" "result: NOT reproducible" "verdict"
