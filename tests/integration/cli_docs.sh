#!/bin/sh
# The generated man page covers every subcommand; bash completion offers them;
# `cleanroom doctor` runs and reports each check; bad usage exits 2.
. "$CLEANROOM_TEST_LIB"
"$CLEANROOM_SOURCE_DIR/scripts/gen-man" "$CLEANROOM" "$SCRATCH/cleanroom.1"
for sub in snapshot run build diff verify audit publish test doctor; do
  grep -q "^.SH \"CLEANROOM $(echo $sub | tr a-z A-Z)\"" "$SCRATCH/cleanroom.1" || fail "man page lacks $sub"
done
pass "man page has a section per subcommand"
if command -v man >/dev/null; then
  man -l "$SCRATCH/cleanroom.1" 2>&1 | grep -q 'cleanroom - hermetic' || fail "man cannot render the page"
  pass "man renders the page"
fi

if [ -f /usr/share/bash-completion/bash_completion ]; then
  got=$(bash -c '. /usr/share/bash-completion/bash_completion
    . "$1/scripts/completion/cleanroom.bash"
    PATH=$(dirname "$2"):$PATH
    COMP_WORDS=(cleanroom bu); COMP_CWORD=1; COMP_LINE="cleanroom bu"; COMP_POINT=${#COMP_LINE}
    _cleanroom; echo "${COMPREPLY[*]}"' _ "$CLEANROOM_SOURCE_DIR" "$CLEANROOM")
  assert_eq "build" "$got" "completion of a subcommand"
fi

out=$(cr doctor 2>&1) || true
assert_contains "$out" "user namespaces" "doctor checks namespaces"
assert_contains "$out" "store" "doctor checks the store"
# Doctor's answer about i386 is the kernel's, whatever it is (arch-test asks
# the kernel itself; CLEANROOM_TEST_NO_IA32 pretends for the tests that need
# 32-bit programs, not for doctor).
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  if ! command -v arch-test >/dev/null; then
    assert_contains "$out" "other arch       arch-test not installed (snapshot create --arch i386 needs it)" \
      "doctor says arch-test is missing"
  elif arch-test i386 >/dev/null 2>&1; then
    assert_contains "$out" "other arch       i386 (build --arch i386)" "doctor says i386 programs run here"
  else
    assert_contains "$out" "other arch       this kernel cannot run i386 programs (build --arch i386 will not work)" \
      "doctor says i386 programs do not run here"
  fi
fi
assert_eq 2 "$(status_of cr build)" "missing argument is a usage error"
assert_eq 2 "$(status_of cr no-such-verb)" "unknown subcommand is a usage error"

assert_contains "$out" "limits" "doctor says which resource limits hold"

# Every example recipe the README and docs/python.md name exists, so their
# commands do not rot into pointing at nothing.
missing=$(grep -oh 'recipes/[A-Za-z0-9_./-]*' "$CLEANROOM_SOURCE_DIR/README.md" "$CLEANROOM_SOURCE_DIR/docs/python.md" |
  sort -u | while read -r p; do [ -e "$CLEANROOM_SOURCE_DIR/$p" ] || echo "$p"; done)
assert_eq "" "$missing" "every recipe path in README.md and docs/python.md exists"

run_rc cr bulid 2>"$SCRATCH/typo.err"
assert_eq 2 "$rc" "a mistyped subcommand is a usage error"
assert_contains "$(cat "$SCRATCH/typo.err")" "unknown command 'bulid' (did you mean 'build'?)" \
  "and names the one meant"
