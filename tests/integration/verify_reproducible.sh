#!/bin/sh
# cleanroom verify on reproducible sources: hello-c passes with every
# variation on, every package identical with its SHA-256; --vary selects the
# variations and names them; a bad spec is a usage error. Under the time
# variation, file times follow the faked clock as after a real change of the
# clock: new files are dated "now", older ones keep their dates.
. "$CLEANROOM_TEST_LIB"
# Every variation applies and both builds run at once only with two CPUs, a
# store whose id map has ids beyond the sandbox's root (root's store) and
# 2 GiB free: asserted below, so a host without them skips.
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] || skip "one CPU: num_cpus cannot vary and the builds cannot run at once"
require_root "a store with a subordinate id range, for the user_group variation"
[ "$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)" -ge $((2 * 1024 * 1024)) ] ||
  skip "less than 2 GiB of memory available: verify runs its two builds one after the other"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-c"

run_rc cr verify "$SCRATCH/hello-c" --json >"$SCRATCH/all.json" 2>"$SCRATCH/all.err"
[ "$rc" = 0 ] || { cat "$SCRATCH/all.json" "$SCRATCH/all.err" >&2; fail "verify of hello-c exited $rc"; }
python3 - "$SCRATCH/all.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["format_version"] == 1 and j["reproducible"] and j["error"] == "", j
active = set(j["variations"])
skipped = {s["variation"] for s in j["skipped_variations"]}
every = {"environment", "build_path", "user_group", "home", "kernel", "aslr", "num_cpus", "time",
         "timezone", "locales", "umask", "domain_host", "fileordering"}
assert active | skipped == every and not active & skipped, (active, skipped)
# 2 cores and a root store with a subordinate range: nothing needs skipping here.
assert not skipped, j["skipped_variations"]
names = sorted(a["name"] for a in j["artifacts"])
assert names == ["cleanroom-hello-dbgsym_1.0_amd64.deb", "cleanroom-hello_1.0_amd64.deb"], names
for a in j["artifacts"]:
    assert a["identical"] and len(a["sha256_first"]) == 64 and a["sha256_first"] == a["sha256_varied"], a
assert "cleanroom-hello_1.0_amd64.buildinfo" in j["not_compared"], j["not_compared"]
assert j["parallel"], "2 cores: the two builds run at once"
PY
pass "hello-c is identical under every variation"

# Only one variation, in text: the report names it and the packages' hashes.
out=$(cr verify "$SCRATCH/hello-c" --vary=-all,+umask --keep "$SCRATCH/keep")
assert_contains "$out" "umask         umask 002 instead of 022" "the report names the one variation"
assert_contains "$out" "identical  cleanroom-hello_1.0_amd64.deb  sha256 " "per-package verdict with hash"
assert_contains "$out" "result: reproducible" "verdict"
case "$out" in *"fileordering"*) fail "a variation that was off is listed: $out" ;; esac
cmp "$SCRATCH/keep/first/cleanroom-hello_1.0_amd64.deb" "$SCRATCH/keep/varied/cleanroom-hello_1.0_amd64.deb" \
  || fail "--keep kept different files"
pass "--keep keeps both builds' outputs"

cp -a "$FIXTURES/clock-check" "$SCRATCH/clock-check"
out=$(cr verify "$SCRATCH/clock-check" --vary=-all,+time --keep "$SCRATCH/clock")
assert_contains "$out" "result: reproducible" "clock-check is reproducible under the time variation"
report=$(dpkg-deb --fsys-tarfile "$SCRATCH/clock/varied/cleanroom-clock-check_1.0_all.deb" |
  tar -xO ./usr/share/cleanroom-clock-check/report)
year=$(date -u -r "$SCRATCH/clock-check/debian/changelog" +%Y)
assert_eq "written: dated now
touched: dated now
explicit: 1000000000
changelog: $year" "$report" "new files dated by the faked clock, explicit and older dates kept"

assert_eq 2 "$(status_of cr verify "$SCRATCH/hello-c" --vary=-colour)" "an unknown variation is a usage error"
msg=$(cr verify "$SCRATCH/hello-c" --vary=-colour 2>&1 || true)
assert_contains "$msg" "unknown variation 'colour'" "the error names the unknown variation"

assert_eq 2 "$(status_of cr verify "$SCRATCH/hello-c" -d no-such-snapshot)" "a snapshot the store lacks is an input error"
assert_eq 2 "$(status_of cr verify "$SCRATCH/no-such-source")" "a missing source is an input error"
