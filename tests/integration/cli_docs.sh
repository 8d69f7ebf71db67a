#!/bin/sh
# The generated man page covers every subcommand; bash completion offers them;
# `cleanroom doctor` runs and reports each check; bad usage exits 2.
. "$CLEANROOM_TEST_LIB"
"$CLEANROOM_SOURCE_DIR/scripts/gen-man" "$CLEANROOM" "$SCRATCH/cleanroom.1"
for sub in snapshot run build diff verify audit publish test doctor; do
  grep -q "^.SH \"CLEANROOM $(echo $sub | tr a-z A-Z)\"" "$SCRATCH/cleanroom.1" || fail "man page lacks $sub"
done
pass "man page has a section per subcommand"
for section in EXAMPLES FILES ENVIRONMENT "EXIT STATUS"; do
  grep -q "^.SH \"*$section\"*\$" "$SCRATCH/cleanroom.1" || fail "man page lacks $section"
done
pass "man page has EXAMPLES, FILES, ENVIRONMENT and EXIT STATUS"
# Every option of every subcommand, and of the verbs under snapshot and cache,
# is in the page, and no --help shows CLI11's type noise (TEXT:PATH(existing)).
subcommands() { cr "$@" --help | sed -n '/^Subcommands:/,$p' | awk '/^  [a-z]/ {print $1}'; }
for sub in $(subcommands); do
  for cmd in "$sub" $(subcommands "$sub" | sed "s/^/$sub:/"); do
    set -- $(echo "$cmd" | tr : ' ')
    help=$(cr "$@" --help)
    case "$help" in *TEXT*|*UINT*|*:PATH*|*:FILE*|*REQUIRED*|*"INT "*)
      fail "cleanroom $* --help shows type noise: $(echo "$help" | grep -E 'TEXT|UINT|:PATH|:FILE|REQUIRED|INT ' | head -1)" ;;
    esac
    for opt in $(echo "$help" | sed -n '/^Options:/,/^$/p' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
      grep -qF -- "$opt" "$SCRATCH/cleanroom.1" || fail "man page lacks cleanroom $* $opt"
    done
  done
done
pass "every option of every subcommand is in the man page; no --help shows type noise"
if command -v man >/dev/null; then
  man -l "$SCRATCH/cleanroom.1" 2>&1 | grep -q 'cleanroom - hermetic' || fail "man cannot render the page"
  pass "man renders the page"
fi

[ -f /usr/share/bash-completion/bash_completion ] || fail "bash-completion is missing (scripts/install-deps installs it)"
{
  # Completes LINE (a trailing space starts a new word) in DIR, as bash would.
  complete_in() { # dir line
    (cd "$1" && bash -c '. /usr/share/bash-completion/bash_completion
      . "$1/scripts/completion/cleanroom.bash"
      PATH=$(dirname "$2"):$PATH
      COMP_LINE=$3; COMP_POINT=${#COMP_LINE}
      read -ra COMP_WORDS <<< "$COMP_LINE"
      case "$COMP_LINE" in *" ") COMP_WORDS+=("") ;; esac
      COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
      _cleanroom; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
      _ "$CLEANROOM_SOURCE_DIR" "$CLEANROOM" "$2")
  }
  mkdir -p "$SCRATCH/files/sub"
  touch "$SCRATCH/files/a.deb" "$SCRATCH/files/b.dsc" "$SCRATCH/files/c.toml" \
    "$SCRATCH/files/d.changes" "$SCRATCH/files/e.txt"
  assert_eq "build" "$(complete_in . "cleanroom bu")" "completion of a subcommand"
  assert_eq "create" "$(complete_in . "cleanroom snapshot cr")" "completion of a snapshot subcommand"
  assert_eq "--snapshot" "$(complete_in . "cleanroom build --sn")" "completion of a build option"
  assert_eq "--bind --bind-owner" "$(complete_in . "cleanroom run --bi")" "options are the subcommand's own"
  assert_eq "--force" "$(complete_in . "cleanroom snapshot create --fo")" "options of a snapshot subcommand"
  assert_contains " $(complete_in . "cleanroom test -d ") " " bookworm " "snapshot names come from the store"
  assert_contains " $(complete_in . "cleanroom snapshot rm ") " " bookworm " "snapshot rm completes snapshot names"
  assert_eq "b.dsc c.toml sub" "$(complete_in "$SCRATCH/files" "cleanroom build ")" "build takes .dsc and .toml"
  assert_eq "a.deb sub" "$(complete_in "$SCRATCH/files" "cleanroom test ")" "test takes .deb"
  assert_eq "a.deb d.changes sub" "$(complete_in "$SCRATCH/files" "cleanroom publish repo ")" "publish takes .changes and .deb"
  assert_eq "a.deb sub" "$(complete_in "$SCRATCH/files" "cleanroom build --wheelhouse ")" "--wheelhouse takes a .deb or a directory"
  assert_eq "sub" "$(complete_in "$SCRATCH/files" "cleanroom build --out ")" "--out takes a directory"
}

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

# Every example recipe the README and docs/python.md name exists in a clean
# checkout (the demo sdists are made by scripts/example-sdists, not shipped),
# so their commands do not rot into pointing at nothing.
missing=$(grep -oh 'recipes/[A-Za-z0-9_./-]*' "$CLEANROOM_SOURCE_DIR/README.md" "$CLEANROOM_SOURCE_DIR/docs/python.md" |
  sed 's|/$||' | sort -u | grep -vx 'recipes/demo-wheelhouse/sources' |
  while read -r p; do [ -e "$CLEANROOM_SOURCE_DIR/$p" ] || echo "$p"; done)
assert_eq "" "$missing" "every recipe path in README.md and docs/python.md exists"

# The benchmarks agree: --help explains each, and each takes the binary first.
for bench in "$CLEANROOM_SOURCE_DIR"/scripts/bench/*; do
  case "$bench" in *.cpp) continue ;; esac
  name=$(basename "$bench")
  help=$("$bench" --help) || fail "scripts/bench/$name --help failed"
  assert_contains "$help" "Usage: scripts/bench/$name [CLEANROOM]" "scripts/bench/$name --help names the binary as first argument"
done

# Only the subcommand the words choose gets its options (main.cpp): the list
# still names every one with its description, global options before the
# subcommand do not hide it, and a subcommand's own options still parse.
top=$(cr --help)
for sub in snapshot run diff build verify audit publish test doctor plan cache; do
  echo "$top" | grep -qE "^  $sub +[A-Z]" || fail "cleanroom --help does not describe $sub"
done
pass "cleanroom --help describes every subcommand"
assert_contains "$(cr -v --store "$CLEANROOM_STORE" run --help)" "--bind-owner" \
  "options before the subcommand, with a value, still choose it"
assert_contains "$(cr -q --store="$CLEANROOM_STORE" snapshot list --json)" '"names"' \
  "a subcommand after --store=DIR parses its own options"
assert_contains "$(cr --store run doctor --help)" "--json" \
  "a store directory named like a subcommand is not taken for one"
run_rc cr run --no-such-option 2>"$SCRATCH/opt.err"
assert_eq 2 "$rc" "an unknown option of a subcommand is a usage error"
assert_contains "$(cat "$SCRATCH/opt.err")" "--no-such-option" "and names the option"

run_rc cr bulid 2>"$SCRATCH/typo.err"
assert_eq 2 "$rc" "a mistyped subcommand is a usage error"
assert_contains "$(cat "$SCRATCH/typo.err")" "unknown command 'bulid' (did you mean 'build'?)" \
  "and names the one meant"
run_rc cr snapshot lst 2>"$SCRATCH/typo.err"
assert_eq 2 "$rc" "a mistyped snapshot verb is a usage error"
assert_contains "$(cat "$SCRATCH/typo.err")" "unknown command 'lst' (did you mean 'list'?); \`cleanroom snapshot --help\`" \
  "and names the verb meant and where the verbs are listed"
run_rc cr cache 2>"$SCRATCH/typo.err"
assert_eq 2 "$rc" "a missing cache verb is a usage error"
assert_contains "$(cat "$SCRATCH/typo.err")" "\`cleanroom cache\` needs a subcommand: list, prune" "and lists the verbs"
