#!/bin/sh
# audit names why a package differs from its rebuild: a build that writes
# the date into a file is classified "build-date", and a binNMU (version +b1,
# an entry the source's changelog lacks) "binnmu" without a pointless
# rebuild; both exit 1, and the JSON carries the class.
. "$CLEANROOM_TEST_LIB"
FIXTURE="$CLEANROOM_SOURCE_DIR/tests/data/fixtures/hello-c"

# A build that records when it ran (as too many real packages do).
cp -a "$FIXTURE" "$SCRATCH/dated"
printf '\tmkdir -p debian/cleanroom-hello/usr/share/doc/cleanroom-hello\n\tdate -u "+built %%a, %%d %%b %%Y %%H:%%M:%%S +0000" > debian/cleanroom-hello/usr/share/doc/cleanroom-hello/BUILD\n' \
  >> "$SCRATCH/dated/debian/rules"
cr build "$SCRATCH/dated" --out "$SCRATCH/dated-out" --no-run-lintian -q >/dev/null 2>"$SCRATCH/err" ||
  { cat "$SCRATCH/err" >&2; fail "the dated build failed"; }
sleep 1
run_rc cr audit "$SCRATCH/dated-out/cleanroom-hello_1.0_amd64.deb" --source "$SCRATCH/dated" --json \
  >"$SCRATCH/dated.json" 2>"$SCRATCH/err"
assert_eq 1 "$rc" "a package with its build date differs"
python3 - "$SCRATCH/dated.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["class"] == "build-date", (j["class"], j.get("diff"))
assert "date" in j["class_reason"], j
PY
pass "an embedded build date is classified build-date"
capture cr audit "$SCRATCH/dated-out/cleanroom-hello_1.0_amd64.deb" --source "$SCRATCH/dated"
assert_contains "$out" "cause: build date" "the report names the cause"

# A binNMU: the shipped package was built with a binary-only changelog entry
# that the source does not have.
cp -a "$FIXTURE" "$SCRATCH/binnmu"
{
  printf 'cleanroom-hello (1.0+b1) bookworm; urgency=low, binary-only=yes\n\n'
  printf '  * Binary-only non-maintainer upload for amd64; no source changes.\n'
  printf '  * Rebuild against the new toolchain.\n\n'
  printf ' -- Cleanroom Build Daemon <buildd@cleanroom.invalid>  Tue, 02 Jan 2024 00:00:00 +0000\n\n'
  cat "$FIXTURE/debian/changelog"
} > "$SCRATCH/binnmu/debian/changelog"
cr build "$SCRATCH/binnmu" --out "$SCRATCH/binnmu-out" --no-run-lintian -q >/dev/null 2>"$SCRATCH/err" ||
  { cat "$SCRATCH/err" >&2; fail "the binNMU build failed"; }
deb=$(ls "$SCRATCH/binnmu-out"/cleanroom-hello_1.0+b1_*.deb) || fail "no binNMU .deb: $(ls "$SCRATCH/binnmu-out")"
mkdir "$SCRATCH/shipped" && cp "$deb" "$SCRATCH/shipped/"  # no .buildinfo beside it
dpkg-deb -c "$deb" | grep -q 'usr/share/doc/cleanroom-hello/changelog\.amd64\.gz' ||
  fail "the binNMU ships no binary-only changelog: $(dpkg-deb -c "$deb" | grep doc/)"
run_rc cr audit "$SCRATCH/shipped/$(basename "$deb")" --source "$FIXTURE" --json >"$SCRATCH/binnmu.json" 2>"$SCRATCH/err"
python3 - "$SCRATCH/binnmu.json" "$rc" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["shipped_version"] == "1.0+b1" and j["source_version"] == "1.0", j
assert j["binnmu_entry_added"] and not j["pinned"] and not j["error"], j
assert j["class"] == "reproduced" and sys.argv[2] == "0", (sys.argv[2], j["class"], j.get("diff"))
PY
pass "a binNMU is rebuilt with its binary-only entry (taken from the .deb) and reproduces"

# The same .deb without its binary-only changelog: nothing to rebuild it with,
# so the cause is named instead of a rebuild of another version.
mkdir "$SCRATCH/stripped"
dpkg-deb -R "$deb" "$SCRATCH/stripped/tree"
rm "$SCRATCH/stripped/tree/usr/share/doc/cleanroom-hello/changelog.amd64.gz"
sed -i '/changelog\.amd64\.gz/d' "$SCRATCH/stripped/tree/DEBIAN/md5sums"
dpkg-deb --root-owner-group -b "$SCRATCH/stripped/tree" "$SCRATCH/stripped/$(basename "$deb")" >/dev/null
run_rc cr audit "$SCRATCH/stripped/$(basename "$deb")" --source "$FIXTURE" --json >"$SCRATCH/bare.json" 2>"$SCRATCH/err"
assert_eq 1 "$rc" "a binNMU without its entry is not reproduced"
python3 - "$SCRATCH/bare.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["class"] == "binnmu" and not j["binnmu_entry_added"], j
PY
pass "a binNMU whose entry is nowhere is classified binnmu"

# Debian's .buildinfo records the entry as Binary-Only-Changes (deb-buildinfo(5)):
# with one beside the .deb that lacks the file, the rebuild takes it from there.
shipped="$SCRATCH/stripped/$(basename "$deb")"
{
  printf 'Format: 1.0\nSource: cleanroom-hello (1.0)\nBinary: cleanroom-hello\nArchitecture: amd64\n'
  printf 'Version: 1.0+b1\nBinary-Only-Changes:\n'
  printf ' cleanroom-hello (1.0+b1) bookworm; urgency=low, binary-only=yes\n .\n'
  printf '   * Binary-only non-maintainer upload for amd64; no source changes.\n'
  printf '   * Rebuild against the new toolchain.\n .\n'
  printf '  -- Cleanroom Build Daemon <buildd@cleanroom.invalid>  Tue, 02 Jan 2024 00:00:00 +0000\n'
  printf 'Checksums-Sha256:\n %s %s %s\n' "$(sha256sum "$shipped" | cut -d' ' -f1)" \
    "$(stat -c %s "$shipped")" "$(basename "$deb")"
  printf 'Build-Origin: Debian\nBuild-Architecture: amd64\nBuild-Date: Tue, 02 Jan 2024 00:00:05 +0000\n'
  printf 'Build-Path: /build/reproducible-path/cleanroom-hello-1.0\n'
} > "$SCRATCH/stripped/cleanroom-hello_1.0+b1_amd64.buildinfo"
run_rc cr audit "$shipped" --source "$FIXTURE" --json >"$SCRATCH/pinned.json" 2>"$SCRATCH/err"
python3 - "$SCRATCH/pinned.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["pinned"] and j["binnmu_entry_added"] and not j["error"], j
assert j["class"] != "binnmu", j
# Rebuilt with the entry: the only difference is the file the shipped .deb lacks.
paths = {d["path"] for d in j["diff"]["differences"]}
assert "data.tar.xz::usr/share/doc/cleanroom-hello/changelog.amd64.gz" in paths, paths
PY
pass "a binNMU's entry is taken from its .buildinfo's Binary-Only-Changes"
