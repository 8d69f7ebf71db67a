#!/bin/sh
# cleanroom audit with a .buildinfo as Debian's build daemons write it
# (deb-buildinfo(5): no X-Cleanroom fields): the rebuild installs exactly the
# recorded Installed-Build-Depends where the mirror has them, lists each one
# it has not (wanted, got) before the build, builds under the recorded
# Build-Path with the recorded Environment, and refuses entries that are not
# Debian names and versions. The package is the archive's tree 2.1.0-1.
. "$CLEANROOM_TEST_LIB"
fetch_pool t/tree tree_2.1.0-1.dsc tree_2.1.0.orig.tar.gz tree_2.1.0-1.debian.tar.xz \
  tree_2.1.0-1_amd64.deb || {
  curl -sf --max-time 30 -o /dev/null "$DEBIAN_POOL/t/tree/tree_2.1.0-1.dsc" ||
    skip "the Debian mirror is unreachable and the test cache lacks tree 2.1.0-1"
  fail "the mirror answers but would not serve tree 2.1.0-1"
}
work=$SCRATCH/tree
mkdir "$work"
for f in tree_2.1.0-1.dsc tree_2.1.0.orig.tar.gz tree_2.1.0-1.debian.tar.xz tree_2.1.0-1_amd64.deb; do
  cp "$DEBIAN_CACHE/$f" "$work/"
done
deb=$work/tree_2.1.0-1_amd64.deb
size=$(stat -c %s "$deb")
mirror_make=$(cr run -d bookworm -- dpkg-query -W -f '${Version}' make)

# $1: extra Installed-Build-Depends lines; $2: extra Environment lines;
# $3: the Build-Path.
write_buildinfo() {
  cat <<EOF
Format: 1.0
Source: tree
Binary: tree
Architecture: amd64
Version: 2.1.0-1
Checksums-Md5:
 $(md5sum "$deb" | cut -d' ' -f1) $size tree_2.1.0-1_amd64.deb
Checksums-Sha1:
 $(sha1sum "$deb" | cut -d' ' -f1) $size tree_2.1.0-1_amd64.deb
Checksums-Sha256:
 $(sha256sum "$deb" | cut -d' ' -f1) $size tree_2.1.0-1_amd64.deb
Build-Origin: Debian
Build-Architecture: amd64
Build-Date: Sat, 07 Jan 2023 18:04:12 +0000
Build-Path: ${3:-/build/tree-Qx7Bc2/tree-2.1.0}
Installed-Build-Depends:
 debhelper (= 13.11.4),
 make (= 4.2.1-1.2),
$1 sl (= 5.02-1+b1)
Environment:
 DEB_BUILD_OPTIONS="nocheck parallel=1"
 LANG="C.UTF-8"
 LC_ALL="C.UTF-8"
 LD_PRELOAD="/nonexistent/cleanroom-probe.so"
$2 SOURCE_DATE_EPOCH="1673107163"
EOF
}

write_buildinfo "" "" >"$work/tree_2.1.0-1_amd64.buildinfo"
run_rc cr audit "$deb" -d bookworm --keep "$SCRATCH/keep" --json >"$SCRATCH/audit.json" 2>"$SCRATCH/audit.err"
cat "$SCRATCH/audit.err" >&2
[ "$rc" -le 1 ] || fail "audit with Debian's .buildinfo failed (exit $rc)"
python3 - "$SCRATCH/audit.json" "$mirror_make" <<'PY' || fail "the JSON report is wrong"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["pinned"] and not j["recorded_snapshot"] and j["checksum_matches_buildinfo"], j
assert j["exact_versions_requested"], j
assert not j["error"], j
drift = {d["package"]: (d["recorded"], d["rebuilt"]) for d in j["build_depends_drift"]}
assert drift.get("make") == ("4.2.1-1.2", sys.argv[2]), drift
assert "sl" not in drift, f"sl was not installed at the recorded version: {drift}"
assert j["source_date_epoch"]["recorded"] == 1673107163, j
assert "DEB_BUILD_OPTIONS=nocheck parallel=1" in j["environment"], j["environment"]
assert not any(e.startswith("LD_PRELOAD") for e in j["environment"]), j["environment"]
PY
pass "the report lists make (wanted 4.2.1-1.2, got $mirror_make) and installed sl exactly"
assert_contains "$(cat "$SCRATCH/audit.err")" "make (wanted 4.2.1-1.2, got $mirror_make)" \
  "the unavailable version is said on the terminal"

# The rebuild's own record: what it installed, where, with what.
rebuilt=$SCRATCH/keep/rebuild/tree_2.1.0-1_amd64.buildinfo
[ -f "$rebuilt" ] || fail "the rebuild kept no .buildinfo"
assert_contains "$(cat "$rebuilt")" " sl (= 5.02-1+b1)" "the rebuild installed the recorded sl"
grep -qx "Build-Path: /build/tree-Qx7Bc2/tree-2.1.0" "$rebuilt" ||
  fail "the rebuild did not run under the recorded build path: $(grep Build-Path "$rebuilt")"
assert_contains "$(cat "$rebuilt")" 'DEB_BUILD_OPTIONS="nocheck parallel=1"' \
  "the rebuild ran with the recorded DEB_BUILD_OPTIONS"
case $(cat "$rebuilt") in *LD_PRELOAD*) fail "a variable outside the allowed set was applied" ;; esac
# Said before the build: the log has the line ahead of dpkg-buildpackage's.
log=$SCRATCH/keep/rebuild/tree_2.1.0-1_amd64.build
said=$(grep -n "recorded version not available: make (wanted 4.2.1-1.2" "$log" | head -1 | cut -d: -f1)
built=$(grep -n "dpkg-buildpackage" "$log" | head -1 | cut -d: -f1)
[ -n "$said" ] && [ -n "$built" ] && [ "$said" -lt "$built" ] ||
  fail "the build log does not list the unavailable version before the build ($said, $built)"
pass "the rebuild recorded sl, the build path and DEB_BUILD_OPTIONS; the log said it first"

# The plain report.
capture cr audit "$deb" -d bookworm
assert_contains "$out" "recorded build dependency versions are not on the mirror" "the report frames the drift"
assert_contains "$out" "make: recorded 4.2.1-1.2, rebuilt $mirror_make" "the report names it"

# Hostile entries: never into apt's command line or the script.
write_buildinfo ' evil (= 1$(touch /tmp/cleanroom-pwned)),
' "" >"$work/tree_2.1.0-1_amd64.buildinfo"
capture cr audit "$deb" -d bookworm
assert_eq 2 "$rc" "a hostile Installed-Build-Depends entry is an input error"
assert_contains "$out" "tree_2.1.0-1_amd64.buildinfo" "the error names the file"
assert_contains "$out" "is not a Debian package name and version" "and says what is wrong"
[ ! -e /tmp/cleanroom-pwned ] || fail "the entry ran"
write_buildinfo ' Evil..Name (= 1.0),
' "" >"$work/tree_2.1.0-1_amd64.buildinfo"
capture cr audit "$deb" -d bookworm
assert_eq 2 "$rc" "a name Debian does not allow is an input error"
pass "hostile Installed-Build-Depends entries are refused"

# A Build-Path that would bind the build over a system directory or climb.
for path in /usr/lib/x /build/../etc/x /build; do
  write_buildinfo "" "" "$path" >"$work/tree_2.1.0-1_amd64.buildinfo"
  capture cr audit "$deb" -d bookworm
  assert_eq 2 "$rc" "Build-Path $path is an input error"
  assert_contains "$out" "Build-Path '$path' cannot be used" "it names the field"
done
pass "Build-Paths under system directories, with '..' or of one component are refused"
