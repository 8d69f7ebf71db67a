#!/bin/sh
# `cleanroom diff` on .debs made by dpkg-deb: two that differ in one file's
# content, one file's mode and one control field must give exit 1 and name all
# three; two built from the same tree must give exit 0; --json must be JSON.
# needs no snapshot
. "$CLEANROOM_TEST_LIB"

export SOURCE_DATE_EPOCH=1700000000

make_deb() { # name version third-line tool-mode
  root=$SCRATCH/$1
  mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/demo"
  cat >"$root/DEBIAN/control" <<CONTROL
Package: demo
Version: $2
Architecture: all
Maintainer: Cleanroom Tests <tests@example.org>
Description: fixture for cleanroom diff
CONTROL
  printf 'one\ntwo\n%s\nfour\n' "$3" >"$root/usr/share/demo/notes.txt"
  printf '#!/bin/sh\necho hi\n' >"$root/usr/bin/tool"
  chmod "$4" "$root/usr/bin/tool"
  find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  dpkg-deb --root-owner-group -Zxz --build "$root" "$SCRATCH/$1.deb" >/dev/null
}

make_deb a 1.0 three 0755
make_deb b 1.1 THREE 0644
make_deb a-again 1.0 three 0755

capture_stdout cr diff "$SCRATCH/a.deb" "$SCRATCH/b.deb"
assert_eq 1 "$rc" "different .debs exit 1"
assert_contains "$out" "data.tar.xz::usr/share/demo/notes.txt: text content differs" "content difference named"
assert_contains "$out" "+THREE" "content difference shown as a diff"
assert_contains "$out" "data.tar.xz::usr/bin/tool: mode: 0755 -> 0644" "mode difference named"
assert_contains "$out" "control.tar.xz::control: control field Version: '1.0' -> '1.1'" "control field named"

assert_eq 0 "$(status_of cr diff "$SCRATCH/a.deb" "$SCRATCH/a-again.deb")" "identical .debs exit 0"
assert_contains "$(cr diff "$SCRATCH/a.deb" "$SCRATCH/a-again.deb")" "are identical" "identical reported"

run_rc cr diff --json "$SCRATCH/a.deb" "$SCRATCH/b.deb" >"$SCRATCH/diff.json"
assert_eq 1 "$rc" "--json exits 1 too"
python3 -m json.tool "$SCRATCH/diff.json" >/dev/null || fail "--json output is not JSON"
pass "--json parses"
assert_eq "1 False" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["format_version"], d["identical"])' "$SCRATCH/diff.json")" "JSON has format_version and verdict"

capture_stdout cr diff --max-report 1 "$SCRATCH/a.deb" "$SCRATCH/b.deb"
assert_contains "$out" "1 listed (--max-report 0 lists all)" "--max-report caps the list"

capture_stdout cr -q diff "$SCRATCH/a.deb" "$SCRATCH/b.deb"
assert_eq "1:" "$rc:$out" "-q prints nothing and exits 1"

assert_eq 2 "$(status_of cr diff "$SCRATCH/a.deb" "$SCRATCH/missing.deb")" "missing input exits 2"

if command -v diffoscope >/dev/null; then
  assert_eq 1 "$(status_of cr diff --diffoscope "$SCRATCH/a.deb" "$SCRATCH/b.deb")" "--diffoscope exits 1 on differences"
else
  assert_eq 3 "$(status_of cr diff --diffoscope "$SCRATCH/a.deb" "$SCRATCH/b.deb")" "--diffoscope without diffoscope exits 3"
fi
