#!/bin/sh
# A hostile .dsc whose Source or Version is a path (`Source: ../escape/pwn`)
# named the .build log, so the log landed outside --out. Both fields must
# follow Debian's rules: the build stops with FILE:LINE, exit 2, and nothing is
# written outside --out.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
mkdir "$SCRATCH/src" "$SCRATCH/out"
cp -a "$FIXTURES/hello-c" "$SCRATCH/src/hello-c"
(cd "$SCRATCH/src" && dpkg-source -b hello-c >/dev/null)
dsc="$SCRATCH/src/cleanroom-hello_1.0.dsc"

sed 's|^Source: .*|Source: ../../escape/pwn|' "$dsc" > "$SCRATCH/src/evil-source.dsc"
capture cr build "$SCRATCH/src/evil-source.dsc" --out "$SCRATCH/out/a" --no-run-lintian
assert_eq 2 "$rc" "a Source that is a path is an input error"
assert_contains "$out" "evil-source.dsc:" "the error names the file"
assert_contains "$out" "is not a valid source package name" "and says what is wrong"

sed 's|^Version: .*|Version: 1.0/../../../escape|' "$dsc" > "$SCRATCH/src/evil-version.dsc"
capture cr build "$SCRATCH/src/evil-version.dsc" --out "$SCRATCH/out/b" --no-run-lintian
assert_eq 2 "$rc" "a Version that is a path is an input error"
assert_contains "$out" "Version '1.0/../../../escape'" "the error quotes the version"

[ ! -e "$SCRATCH/escape" ] && [ ! -e "$SCRATCH/src/escape" ] || fail "a file was written outside --out"
pass "nothing was written outside --out"
