#!/bin/sh
# Build failures are clear: an unsatisfiable Build-Depends names the package;
# the build has no network (a host loopback listener and name resolution are
# unreachable from the build); a failed build publishes no .deb but keeps its log;
# an --out that is not a directory, a malformed debian/control are refused before
# the build starts; a failed build says why in its one-line error; with no
# source named, the current directory is the source.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

# With no source named, build takes the current directory; one that is no
# Debian source tree is refused with what to do.
mkdir "$SCRATCH/not-a-source"
run_rc sh -c "cd '$SCRATCH/not-a-source' && '$CLEANROOM' build" 2>"$SCRATCH/cwd.err" >/dev/null
assert_eq 2 "$rc" "build with no source in a directory without debian/: exit 2"
assert_contains "$(cat "$SCRATCH/cwd.err")" "not-a-source' has no debian/changelog" "the error names the current directory"

cp -a "$FIXTURES/missing-dep" "$SCRATCH/missing-dep"
mkdir "$SCRATCH/out-missing"
run_rc cr build "$SCRATCH/missing-dep" --out "$SCRATCH/out-missing" --no-run-lintian -q 2>"$SCRATCH/missing.err"
assert_eq 1 "$rc" "unsatisfiable Build-Depends fails the build"
assert_contains "$(cat "$SCRATCH/missing.err")" "cleanroom-no-such-package" "the error names the package"
assert_contains "$(cat "$SCRATCH/missing.err")" "step prepare failed" "the error names the step"
ls "$SCRATCH/out-missing"/*.deb 2>/dev/null && fail "a failed build published a .deb"
[ -f "$SCRATCH/out-missing/cleanroom-missingdep_1.0_amd64.build" ] || fail "the failed build left no log"
pass "failed build keeps only its log"

# The network probe: a listener on host loopback must see nothing.
PORT=47321
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); s.settimeout(600)
open(sys.argv[2], "w").write("listening\n")
try:
    c, a = s.accept(); open(sys.argv[2], "a").write("ACCEPTED %s\n" % (a,))
except OSError:
    pass
' "$PORT" "$SCRATCH/listener.log" &
LISTENER=$!
trap 'kill $LISTENER 2>/dev/null; cleanup_scratch' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$SCRATCH/listener.log" ] && break; sleep 0.2; done
cp -a "$FIXTURES/netprobe" "$SCRATCH/netprobe"
mkdir "$SCRATCH/out-net"
cr build "$SCRATCH/netprobe" --out "$SCRATCH/out-net" --no-run-lintian -q
dpkg-deb -x "$SCRATCH/out-net/cleanroom-netprobe_1.0_all.deb" "$SCRATCH/net-x"
result=$(cat "$SCRATCH/net-x/usr/share/cleanroom-netprobe/probe-result.txt")
echo "$result"
case "$result" in *CONNECTED*|*RESOLVED*) fail "the build reached the network: $result" ;; esac
assert_contains "$result" "loopback: PermissionError" "loopback connect refused by the sandbox"
assert_contains "$(cat "$SCRATCH/listener.log")" "listening" "listener was up"
case "$(cat "$SCRATCH/listener.log")" in *ACCEPTED*) fail "the host listener got a connection" ;; esac
pass "host listener saw no connection"

# An --out that cannot be a directory is refused before any build step runs,
# with exit 2 and the path named; nothing is written beside it.
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-out"
echo keep >"$SCRATCH/a-file"
run_rc cr build "$SCRATCH/hello-out" --out "$SCRATCH/a-file" --no-run-lintian 2>"$SCRATCH/out.err" >"$SCRATCH/out.log"
assert_eq 2 "$rc" "--out naming a file exits 2"
assert_contains "$(cat "$SCRATCH/out.err")" "output directory '$SCRATCH/a-file' is not a directory" \
  "the error names --out"
if grep -q "step unpack" "$SCRATCH/out.err" "$SCRATCH/out.log"; then fail "a step ran before --out was checked"; fi
assert_eq keep "$(cat "$SCRATCH/a-file")" "the file given as --out is untouched"
assert_eq 2 "$(status_of cr build "$SCRATCH/hello-out" --out "$SCRATCH/a-file/sub")" \
  "--out below a file exits 2"

# Why a build failed is in the one-line error, even with -q: the compiler's
# message, not only dpkg-buildpackage's exit status.
cp -a "$FIXTURES/hello-c" "$SCRATCH/hello-broken"
sed -i 's/return 0;/return 0/' "$SCRATCH/hello-broken/src/hello.c"
run_rc cr build "$SCRATCH/hello-broken" --out "$SCRATCH/out-broken" --no-run-lintian -q 2>"$SCRATCH/broken.err" >/dev/null
assert_eq 1 "$rc" "a compile error fails the build"
assert_contains "$(cat "$SCRATCH/broken.err")" "dpkg-buildpackage failed with exit 2: src/hello.c:5:" \
  "the error carries the compiler's message"

# A malformed debian/control is refused before anything is unpacked, naming the
# user's own file and line (not a copy in the store).
cp -a "$FIXTURES/hello-c" "$SCRATCH/bad-deps"
sed -i 's/^Build-Depends: .*/Build-Depends: debhelper-compat (= 13), foo (>=/' "$SCRATCH/bad-deps/debian/control"
err=$(cr build "$SCRATCH/bad-deps" --out "$SCRATCH/out-bad" -q 2>&1 >/dev/null || true)
assert_contains "$err" "$SCRATCH/bad-deps/debian/control:5: Build-Depends: version restriction in 'foo (>=' lacks its ')'" \
  "a Build-Depends syntax error names the file and line"
assert_eq 2 "$(status_of cr build "$SCRATCH/bad-deps" --out "$SCRATCH/out-bad")" "and exits 2"
cp -a "$FIXTURES/hello-c" "$SCRATCH/no-source"
sed -i 's/^Source: /Sourc: /' "$SCRATCH/no-source/debian/control"
err=$(cr build "$SCRATCH/no-source" --out "$SCRATCH/out-bad" -q 2>&1 >/dev/null || true)
assert_contains "$err" "$SCRATCH/no-source/debian/control:1: missing field 'Source'" \
  "a control file without Source is named"
