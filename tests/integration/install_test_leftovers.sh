#!/bin/sh
# `cleanroom test` counts only what the packages and their maintainer scripts
# leave: a dependency the snapshot lacks (tree) comes and goes with the
# package, so it is no leftover; a file a postinst writes and the package does
# not own is reported. The log shows apt's work without progress meters.
. "$CLEANROOM_TEST_LIB"
chmod 0755 "$SCRATCH"
root=$(cr snapshot list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm" in s["names"]][0]["root"])')
[ ! -e "$root/usr/bin/tree" ] || fail "the bookworm snapshot has tree; the test needs a dependency it lacks"

make_deb() { # name postinst-body
  d="$SCRATCH/$1"
  mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$1"
  cat >"$d/DEBIAN/control" <<CONTROL
Package: $1
Version: 1.0
Architecture: all
Maintainer: Cleanroom Tests <tests@example.org>
Depends: tree
Description: install test fixture
CONTROL
  echo "$1" >"$d/usr/share/doc/$1/README"
  if [ -n "$2" ]; then
    printf '#!/bin/sh\nset -e\n%s\n' "$2" >"$d/DEBIAN/postinst"
    chmod 0755 "$d/DEBIAN/postinst"
  fi
  dpkg-deb --root-owner-group -Zxz -b "$d" "$SCRATCH/$1.deb" >/dev/null
}

make_deb cr-needs-tree ""
capture cr test "$SCRATCH/cr-needs-tree.deb" --run 'tree --version'
assert_eq 0 "$rc" "a package with a dependency the snapshot lacks passes: $out"
assert_contains "$out" "ok   leftovers" "its dependency is no leftover"
case "$out" in *"/usr/bin/tree"*) fail "tree, a dependency, was counted as a leftover: $out" ;; esac
pass "tree went with the package"
assert_contains "$out" "(Reading database ..." "the log shows dpkg's work"
if printf '%s\n' "$out" | tr '\r' '\n' | grep -E 'Reading database \.\.\. [0-9]+%'; then
  fail "the log has dpkg's progress meter"
fi
pass "the log has no progress meter"

make_deb cr-leaves-file 'echo left >/usr/local/bin/cr-left-behind'
capture cr test "$SCRATCH/cr-leaves-file.deb"
assert_eq 1 "$rc" "a package whose postinst leaves a file fails"
assert_eq "FAIL leftovers: /usr/local/bin/cr-left-behind" "$(printf '%s\n' "$out" | grep -E '^(ok|FAIL) +leftovers')" \
  "the file its postinst left is reported, and only it"
