#!/bin/sh
# kill -9 of `cleanroom snapshot create` stops the bootstrapper too (it gets
# SIGTERM, so mmdebstrap can clean up after itself). A stand-in mmdebstrap on
# PATH records its pid and waits; nothing is downloaded.
. "$CLEANROOM_TEST_LIB"
export CLEANROOM_STORE="$SCRATCH/store"
mkdir -p "$SCRATCH/bin"
cat > "$SCRATCH/bin/mmdebstrap" <<SCRIPT
#!/bin/sh
trap 'echo terminated > "$SCRATCH/bootstrap.term"; exit 143' TERM
echo \$\$ > "$SCRATCH/bootstrap.pid"
while :; do sleep 0.1; done
SCRIPT
chmod +x "$SCRATCH/bin/mmdebstrap"

PATH="$SCRATCH/bin:$PATH" "$CLEANROOM" snapshot create bookworm --name killed >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$SCRATCH/bootstrap.pid" ] && break; sleep 0.1; done
[ -s "$SCRATCH/bootstrap.pid" ] || fail "the stand-in mmdebstrap never started"
bootstrap=$(cat "$SCRATCH/bootstrap.pid")
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
for _ in $(seq 50); do kill -0 "$bootstrap" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$bootstrap" 2>/dev/null; then
  kill -KILL "$bootstrap"
  fail "the bootstrapper outlived kill -9 of cleanroom"
fi
pass "the bootstrapper stopped with cleanroom"
assert_eq "terminated" "$(cat "$SCRATCH/bootstrap.term" 2>/dev/null)" "it got SIGTERM, so it could clean up"
[ ! -e "$CLEANROOM_STORE/names/killed" ] || fail "a name was written"
pass "no snapshot name was written"
