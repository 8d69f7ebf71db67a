#!/bin/sh
# i386 on amd64, as Debian's i386 build daemons run: a real i386 snapshot from
# the mirror, a sandbox that runs its 32-bit programs as linux32 under the
# same seccomp rules, and `build --arch i386` (sbuild's option) producing a
# reproducible i386 .deb. An amd64 sandbox still kills 32-bit programs.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
[ "$(dpkg --print-architecture)" = amd64 ] || skip "not an amd64 machine"
src="$SCRATCH/cleanroom-hello-1.0"
cp -a "$FIXTURES/hello-c" "$src"
mkdir "$SCRATCH/out"

# Whatever the kernel: --arch needs a snapshot of that architecture, and one a
# sandbox here runs.
err=$(cr build "$src" --arch i386 -d trixie --out "$SCRATCH/out" 2>&1 || true)
assert_contains "$err" "create it: cleanroom snapshot create trixie --arch i386 --name trixie-i386" \
  "a missing NAME-ARCH snapshot says how to create it"
assert_eq 2 "$(status_of cr build "$src" --arch i386 -d trixie --out "$SCRATCH/out")" "and exits 2"
err=$(cr build "$src" --arch armhf --out "$SCRATCH/out" 2>&1 || true)
assert_contains "$err" "--arch armhf: a sandbox here runs only amd64 or i386 programs" "an arch the sandbox cannot run is refused"

# The rest needs a kernel that runs 32-bit programs.
require_i386

# Made once per store, like the bookworm fixture (about half a minute).
if ! cr snapshot list | awk '{print $1}' | grep -qx bookworm-i386; then
  cr snapshot create bookworm --arch i386 --name bookworm-i386 --include python3,python3-venv >/dev/null
fi
assert_contains "$(cr snapshot list | grep '^bookworm-i386 ')" "i386" "the snapshot records i386"

# The sandbox: 32-bit programs run, uname names the 32-bit machine.
assert_eq "i686 i386" "$(cr run --snapshot bookworm-i386 -- sh -c 'echo $(uname -m) $(dpkg --print-architecture)')" \
  "an i386 sandbox runs as linux32"
# The x86 ABI has the same rules: no mounts, no namespaces, no module loading.
probe='mount -t tmpfs none /mnt 2>/dev/null && echo mounted; unshare -U true 2>/dev/null && echo unshared; echo done'
assert_eq "done" "$(cr run --snapshot bookworm-i386 -- sh -c "$probe")" "mount and unshare are refused to 32-bit programs"
# Offline, i386's socket() goes through socketcall(2): local sockets work, and
# the network namespace (only lo) keeps the internet out.
sockets='use Socket;
socket(U, AF_UNIX, SOCK_STREAM, 0) or die "unix: $!";
socket(T, AF_INET, SOCK_STREAM, 0) or die "inet: $!";
connect(T, pack_sockaddr_in(80, inet_aton("151.101.2.132"))) and die "connected";
print "unix ok, internet: $!\n"'
assert_eq "unix ok, internet: Network is unreachable" \
  "$(cr run --snapshot bookworm-i386 -- perl -e "$sockets")" "offline i386 sockets stay local"

# An amd64 sandbox admits no 32-bit system call: glibc's static ldconfig from
# the i386 snapshot dies of SIGSYS at its first one.
root=$(cr snapshot list --json |
  python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if "bookworm-i386" in s["names"]][0]["root"])')
assert_eq 159 "$(status_of cr run --bind "$root/sbin/ldconfig:/tmp/ldconfig32:ro" -- /tmp/ldconfig32 --version)" \
  "a 32-bit program in an amd64 sandbox is killed (128 + SIGSYS)"
assert_eq 0 "$(status_of cr run --snapshot bookworm-i386 --bind "$root/sbin/ldconfig:/tmp/ldconfig32:ro" -- /tmp/ldconfig32 --version)" \
  "the same program runs in the i386 sandbox"

# build --arch i386 picks bookworm-i386 and builds a 32-bit package.
cr build "$src" --arch i386 --out "$SCRATCH/out" --no-run-lintian -q >/dev/null
deb="$SCRATCH/out/cleanroom-hello_1.0_i386.deb"
[ -f "$deb" ] || fail "no i386 .deb in $(ls "$SCRATCH/out")"
assert_eq i386 "$(dpkg-deb -f "$deb" Architecture)" "the .deb is for i386"
dpkg-deb -x "$deb" "$SCRATCH/x"
assert_eq "01 03" "$(od -An -tx1 -j4 -N1 "$SCRATCH/x/usr/bin/cleanroom-hello" | tr -d ' ') $(od -An -tx1 -j18 -N1 "$SCRATCH/x/usr/bin/cleanroom-hello" | tr -d ' ')" \
  "the program is a 32-bit x86 ELF (class 1, machine 3)"
info="$SCRATCH/out/cleanroom-hello_1.0_i386.buildinfo"
assert_contains "$(cat "$info")" "Build-Architecture: i386" "the .buildinfo records the i386 build"
assert_contains "$(cat "$SCRATCH/out/cleanroom-hello_1.0_i386.changes")" "Architecture: i386" "the .changes is for i386"

# `test` installs an i386 package in the i386 snapshot.
assert_eq 0 "$(status_of cr test "$deb" --run cleanroom-hello)" "test installs and runs the i386 package in bookworm-i386"
mkdir -p "$SCRATCH/other/DEBIAN"
printf 'Package: other\nVersion: 1\nArchitecture: amd64\nMaintainer: T <t@example.org>\nDescription: x\n' \
  >"$SCRATCH/other/DEBIAN/control"
dpkg-deb --root-owner-group -b "$SCRATCH/other" "$SCRATCH/other_1_amd64.deb" >/dev/null
err=$(cr test "$deb" "$SCRATCH/other_1_amd64.deb" 2>&1 || true)
assert_contains "$err" "is for amd64 but another package is for i386" "test refuses a mix of architectures"

# verify --arch i386 with every variation, and audit finds the i386 snapshot
# recorded in the .buildinfo.
assert_eq 0 "$(status_of cr verify "$src" --arch i386)" "the i386 build is reproducible under every variation"
assert_contains "$(cr audit "$deb" --source "$src" 2>&1)" "reproduced" "audit rebuilds it in the i386 snapshot"

# Recipes take --arch too: i386's python builds the wheelhouse.
assert_eq i686 "$(cr run --snapshot bookworm-i386 -- python3 -c 'import platform; print(platform.machine())')" \
  "python in the i386 sandbox sees an i686 machine"
hello_wheelhouse_recipe "$SCRATCH/wh" "$SCRATCH/wh/recipe.toml" i386-wheelhouse
cr build "$SCRATCH/wh/recipe.toml" --arch i386 --out "$SCRATCH/wh-out" -q >/dev/null
assert_eq i386 "$(dpkg-deb -f "$SCRATCH/wh-out/i386-wheelhouse_1.0-1_i386.deb" Architecture)" \
  "a wheelhouse recipe built with --arch i386 is an i386 package"
