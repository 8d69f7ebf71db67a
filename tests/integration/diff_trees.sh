#!/bin/sh
# `cleanroom diff` on two directories: a wheel inside is opened and the
# differing module named inside it; a copy of a tree is identical.
# needs no snapshot
. "$CLEANROOM_TEST_LIB"

make_tree() { # dir module-text
  mkdir -p "$1/dist" "$1/share"
  python3 - "$1/dist/demo-1.0-py3-none-any.whl" "$2" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("demo/__init__.py", "")
    z.writestr("demo/mod.py", sys.argv[2] + "\n")
    z.writestr("demo-1.0.dist-info/RECORD", "")
PY
  printf 'shared\n' >"$1/share/notes.txt"
}

make_tree "$SCRATCH/a" "X = 1"
make_tree "$SCRATCH/b" "X = 2"
touch -d @1700000000 "$SCRATCH/a/dist/demo-1.0-py3-none-any.whl"
cp -a "$SCRATCH/a" "$SCRATCH/a-copy"

capture_stdout cr diff "$SCRATCH/a" "$SCRATCH/b"
assert_eq 1 "$rc" "different trees exit 1"
assert_contains "$out" "dist/demo-1.0-py3-none-any.whl::demo/mod.py: text content differs" "module inside the wheel named"
assert_contains "$out" "+X = 2" "module difference shown"
assert_eq 0 "$(status_of cr diff "$SCRATCH/a" "$SCRATCH/a-copy")" "copied tree is identical"

rm "$SCRATCH/a-copy/share/notes.txt"
capture_stdout cr diff "$SCRATCH/a" "$SCRATCH/a-copy"
assert_contains "$out" "share/notes.txt: only in A (file)" "removed file named"
