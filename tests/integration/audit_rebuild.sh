#!/bin/sh
# cleanroom audit: a package cleanroom built is reproduced from its .buildinfo
# and the .dsc beside it; a .deb with one changed byte is not, and the report
# names the file; a snapshot the store lacks and a missing source are input
# errors that say what to import or fetch.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
DEB=cleanroom-hello_1.0_amd64.deb
BI=cleanroom-hello_1.0_amd64.buildinfo

mkdir "$SCRATCH/ship"
cp -a "$FIXTURES/hello-c" "$SCRATCH/ship/hello-c"
(cd "$SCRATCH/ship" && dpkg-source -b hello-c >/dev/null)
rm -rf "$SCRATCH/ship/hello-c"
cr build "$SCRATCH/ship/cleanroom-hello_1.0.dsc" --no-run-lintian -q >/dev/null

run_rc cr audit "$SCRATCH/ship/$DEB" >"$SCRATCH/ok.txt" 2>"$SCRATCH/ok.err"
[ "$rc" = 0 ] || { cat "$SCRATCH/ok.txt" "$SCRATCH/ok.err" >&2; fail "audit of a cleanroom build exited $rc"; }
assert_contains "$(cat "$SCRATCH/ok.txt")" "reproduced: the rebuild is identical" "verdict"
assert_contains "$(cat "$SCRATCH/ok.txt")" "$SCRATCH/ship/$BI" "the .buildinfo beside it was found"
pass "audit reproduces a package cleanroom built"

cr audit "$SCRATCH/ship/$DEB" --json >"$SCRATCH/ok.json"
python3 - "$SCRATCH/ok.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["format_version"] == 1 and j["reproduced"] and j["recorded_snapshot"], j
assert j["checksum_matches_buildinfo"] and j["sha256_shipped"] == j["sha256_rebuilt"], j
assert j["source_date_epoch"]["recorded"] == j["source_date_epoch"]["rebuilt"] == 1704110400, j
assert j["build_depends_drift"] == [], j["build_depends_drift"]
PY
pass "audit --json"

# One byte changed in the program, the package rebuilt with dpkg-deb.
mkdir "$SCRATCH/tamper"
dpkg-deb -R "$SCRATCH/ship/$DEB" "$SCRATCH/tamper/tree"
python3 - "$SCRATCH/tamper/tree/usr/bin/cleanroom-hello" <<'PY'
import sys
p = sys.argv[1]
data = bytearray(open(p, "rb").read())
i = data.index(b"hello from cleanroom-hello")
data[i] = ord("j")
open(p, "wb").write(data)
PY
# The same data.tar compression, so the diff opens the same member on both sides.
case $(ar t "$SCRATCH/ship/$DEB" | grep '^data.tar') in
  *.zst) comp=zstd ;; *.gz) comp=gzip ;; *) comp=xz ;;
esac
dpkg-deb --root-owner-group -Z"$comp" -b "$SCRATCH/tamper/tree" "$SCRATCH/tamper/$DEB" >/dev/null
cp "$SCRATCH/ship/$BI" "$SCRATCH/tamper/"
run_rc cr audit "$SCRATCH/tamper/$DEB" --source "$SCRATCH/ship/cleanroom-hello_1.0.dsc" >"$SCRATCH/bad.txt" 2>&1
assert_eq 1 "$rc" "a tampered package is not reproduced"
bad=$(cat "$SCRATCH/bad.txt")
assert_contains "$bad" "NOT reproduced" "verdict"
assert_contains "$bad" "usr/bin/cleanroom-hello" "the report names the changed file"
assert_contains "$bad" "does NOT have the SHA-256 its .buildinfo lists" "the checksum mismatch is reported"

# A snapshot the store does not hold.
mkdir "$SCRATCH/nosnap"
cp "$SCRATCH/ship/$DEB" "$SCRATCH/ship/cleanroom-hello_1.0.dsc" "$SCRATCH/ship/cleanroom-hello_1.0.tar."* "$SCRATCH/nosnap/"
sed 's/^X-Cleanroom-Snapshot: .*/X-Cleanroom-Snapshot: 0000000000000000000000000000000000000000000000000000000000000000/' \
  "$SCRATCH/ship/$BI" >"$SCRATCH/nosnap/$BI"
capture cr audit "$SCRATCH/nosnap/$DEB"
assert_eq 2 "$rc" "an unknown snapshot is an input error"
assert_contains "$out" "snapshot 0000000000000000000000000000000000000000000000000000000000000000 recorded in" "it names the snapshot"
assert_contains "$out" "cleanroom snapshot import" "it says how to import it"

# No source beside the package.
mkdir "$SCRATCH/nosrc"
cp "$SCRATCH/ship/$DEB" "$SCRATCH/ship/$BI" "$SCRATCH/nosrc/"
capture cr audit "$SCRATCH/nosrc/$DEB"
assert_eq 2 "$rc" "a missing source is an input error"
assert_contains "$out" "cleanroom-hello_1.0.dsc' not found" "it names the source"
assert_contains "$out" "apt-get source cleanroom-hello=1.0" "it says how to fetch it"

# No .buildinfo at all.
mkdir "$SCRATCH/nobi"
cp "$SCRATCH/ship/$DEB" "$SCRATCH/nobi/"
assert_eq 2 "$(status_of cr audit "$SCRATCH/nobi/$DEB")" "a missing .buildinfo is an input error"

# A .buildinfo without X-Cleanroom-Snapshot, like the Debian archive's: rebuilt
# in the named snapshot, and the build dependencies whose recorded versions
# the snapshot does not give are listed.
mkdir "$SCRATCH/archive"
cp "$SCRATCH/ship/$DEB" "$SCRATCH/ship/cleanroom-hello_1.0.dsc" "$SCRATCH/ship/cleanroom-hello_1.0.tar."* "$SCRATCH/archive/"
grep -v '^X-Cleanroom-' "$SCRATCH/ship/$BI" | sed 's/^ debhelper (= [^)]*)/ debhelper (= 12.0-old)/' >"$SCRATCH/archive/$BI"
capture cr audit "$SCRATCH/archive/$DEB" -d bookworm
assert_contains "$out" "(none recorded: an archive package)" "the report says no snapshot was recorded"
assert_contains "$out" "debhelper: recorded 12.0-old, rebuilt 13." "the drifted build dependency is named"
assert_eq 0 "$rc" "the archive-style record still reproduces the package"
