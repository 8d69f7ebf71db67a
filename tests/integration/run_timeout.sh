#!/bin/sh
# --timeout kills the whole tree, reports it, and exits 124 like timeout(1).
. "$CLEANROOM_TEST_LIB"

marker="cleanroom-timeout-$$-marker"
start=$(date +%s)
capture cr run --timeout 2 -- bash -c "bash -c 'exec -a $marker sleep 100' & exec -a $marker sleep 100"
end=$(date +%s)
assert_eq 124 "$rc" "timeout exits 124"
assert_contains "$out" "timed out after 2 s" "timeout is reported"
[ $((end - start)) -lt 10 ] || fail "timeout took $((end - start)) s"
pass "killed within the limit"
sleep 0.2
if pgrep -f "^$marker" >/dev/null; then fail "processes survived the timeout: $(pgrep -af "^$marker")"; fi
pass "no process of the sandbox survived"
assert_eq 0 "$(status_of cr run --timeout 30 -- true)" "a command within its timeout exits normally"
