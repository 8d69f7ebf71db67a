#!/bin/sh
# The helper itself refuses a spec that would make anything in the sandbox host
# root, whatever produced the spec.
# needs no snapshot
. "$CLEANROOM_TEST_LIB"

helper=$(dirname "$CLEANROOM")/cleanroom-sandbox
mkdir "$SCRATCH/lower"
spec() { # uid-map-outside
  printf 'cleanroom-sandbox-spec 1\nuid-map 0 %s 1\ngid-map 0 %s 1\nid-map-method direct\n' "$1" "$1"
  printf 'mount overlay / %s \\- 0 0 \\- \\- \\-\narg true\nseccomp 0000000000000000\nend\n' "$SCRATCH/lower"
}
spec 0 > "$SCRATCH/spec"
capture "$helper" --spec-fd 3 --status-fd 4 3<"$SCRATCH/spec" 4>"$SCRATCH/status"
assert_eq 2 "$rc" "a map onto host id 0 is refused"
assert_contains "$out" "maps onto host id 0" "the refusal says why"
assert_eq "error 2" "$(cat "$SCRATCH/status")" "the status line reports it"

printf 'cleanroom-sandbox-spec 9\n' > "$SCRATCH/newer"
capture "$helper" --spec-fd 3 --status-fd 4 3<"$SCRATCH/newer" 4>/dev/null
assert_eq 2 "$rc" "a newer spec version is refused"
assert_contains "$out" "version 9 is not supported" "the refusal names the version"
