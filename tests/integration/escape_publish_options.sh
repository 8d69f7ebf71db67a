#!/bin/sh
# publish writes --suite, --codename, --component, --origin and --architectures
# into a new repository's conf/distributions and hands them to reprepro: a
# newline would add a field (DebIndices names a program reprepro runs), a
# leading '-' an option, a '/' a place outside dists/. Each is refused with
# exit 2 before any of the repository is written.
. "$CLEANROOM_TEST_LIB"
command -v reprepro >/dev/null || skip "reprepro is not installed"
: > "$SCRATCH/pkg_1.0_all.deb"
HOOK="$SCRATCH/hook"
printf '#!/bin/sh\ntouch "%s/hook-ran"\n' "$SCRATCH" > "$HOOK"
chmod +x "$HOOK"

check_refused() { # what option value
  repo="$SCRATCH/repo-$1"
  capture cr publish "$repo" "$SCRATCH/pkg_1.0_all.deb" "$2=$3"
  assert_eq 2 "$rc" "$1: exit 2"
  assert_contains "$out" "$2" "$1: the error names the option"
  case "$out" in *"
DebIndices"*) fail "$1: the error shows the raw newline: $out" ;; esac
  [ ! -e "$repo" ] || fail "$1: the repository was written: $(find "$repo")"
  [ ! -e "$SCRATCH/hook-ran" ] || fail "$1: reprepro ran the injected hook"
  pass "$1: nothing written, nothing run"
}
check_refused suite-newline --suite "staging
DebIndices: Packages Release . .gz $HOOK"
check_refused codename-newline --codename "bookworm-staging
Log: $HOOK"
check_refused codename-dotdot --codename "../../escape"
check_refused codename-option --codename --help
check_refused component-space --component "main contrib"
check_refused origin-tab --origin "$(printf 'cleanroom\tx')"
check_refused architectures-newline --architectures "amd64
DebIndices: Packages Release . .gz $HOOK"
capture cr publish "$SCRATCH/repo-x" "$SCRATCH/pkg_1.0_all.deb" "--suite=$(printf 'a\033]0;t\007b')"
assert_eq 2 "$rc" "an escape sequence in --suite: exit 2"
assert_contains "$out" '\x1b]0;t\x07b' "the value is shown escaped"
