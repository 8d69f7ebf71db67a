#!/bin/sh
# cleanroom run: exit codes as a shell reports them, a fresh root every time,
# the host's tree and environment kept out.
. "$CLEANROOM_TEST_LIB"

assert_eq 0 "$(status_of cr run -- true)" "true exits 0"
assert_eq 42 "$(status_of cr run -- sh -c 'exit 42')" "exit code passed through"
assert_eq 143 "$(status_of cr run -- sh -c 'kill -TERM $$')" "killed by SIGTERM: 128+15"
assert_eq 137 "$(status_of cr run -- sh -c 'kill -KILL $$')" "killed by SIGKILL: 128+9"
assert_eq 127 "$(status_of cr run -- no-such-command)" "missing command: 127"

capture cr run --snapshot no-such-snapshot -- true
assert_eq 2 "$rc" "missing snapshot: exit 2"
assert_contains "$out" "bookworm" "missing snapshot lists what exists"

assert_eq "0 0" "$(cr run -- sh -c 'echo $(id -u) $(id -g)')" "uid and gid 0 inside"
assert_eq "cleanroom" "$(cr run -- hostname)" "default hostname"
assert_eq "box" "$(cr run --hostname box -- hostname)" "--hostname"
assert_eq "/srv/work" "$(cr run --workdir /srv/work -- pwd)" "--workdir created and used"
assert_eq "cleanroom-sandb" "$(cr run -- cat /proc/1/comm)" "pid 1 is the sandbox's own"
n=$(cr run -- sh -c 'ls -d /proc/[0-9]* | wc -l')
[ "$n" -le 4 ] || fail "more processes visible than the sandbox's own: $n"
pass "only the sandbox's processes are visible ($n)"

# A setup failure in the sandbox's child is one line naming the step, the
# mount and the fix; a path that clashes with the snapshot's files is the
# caller's input (exit 2), not the machine's (exit 3).
capture cr run --workdir /etc/passwd -- true
assert_eq 2 "$rc" "a workdir that is a file in the snapshot: exit 2"
assert_contains "$out" "sandbox setup failed: create a mount point '/etc/passwd': ENOTDIR" \
  "setup failure names the step, the mount and the errno"
assert_contains "$out" "choose another --workdir or bind target" "and says what to do"

# Files written in one run are gone in the next; the snapshot is untouched.
root=$(cr snapshot list --json | /usr/bin/python3 -c '
import json, sys
print(next(s["root"] for s in json.load(sys.stdin) if "bookworm" in s["names"]))')
[ -d "$root/etc" ] || fail "cannot find the snapshot's tree ($root)"
cr run -- sh -c 'echo x > /etc/cleanroom-marker && rm -rf /usr/share/doc && mkdir /new-dir'
assert_eq "absent absent present" \
  "$(cr run -- sh -c 'for p in /etc/cleanroom-marker /new-dir /usr/share/doc; do [ -e $p ] && echo present || echo absent; done' | tr '\n' ' ' | sed 's/ $//')" \
  "changes of one run are gone in the next"
[ ! -e "$root/etc/cleanroom-marker" ] || fail "the snapshot's tree was written"
[ -d "$root/usr/share/doc" ] || fail "the snapshot's tree lost a directory"
[ ! -e "$root/new-dir" ] || fail "the snapshot's tree gained a directory"
pass "snapshot tree unchanged"

# The environment is an allow-list; the host's Python, pip and loader settings
# never reach a command.
env_out=$(PIP_INDEX_URL=http://leak PYTHONHOME=/leak LC_CTYPE=leak LD_LIBRARY_PATH=/leak \
  CLEANROOM_SECRET=leak cr run --env EXTRA=1 --env TZ=Europe/Paris -- env)
case "$env_out" in *leak*|*PIP_*|*PYTHON*) fail "host variables leaked: $env_out" ;; esac
pass "no PIP_*, PYTHON*, LC_*, LD_* from the host"
assert_contains "$env_out" "EXTRA=1" "--env adds"
assert_contains "$env_out" "TZ=Europe/Paris" "--env overrides a default"
assert_contains "$env_out" "LC_ALL=C.UTF-8" "fixed locale"
assert_contains "$env_out" "HOME=/root" "HOME"
assert_eq "absent" "$(cr run -- sh -c '[ -e /etc/pip.conf ] && echo present || echo absent')" \
  "the host's /etc/pip.conf is not visible"

# stdin and stdout are the caller's.
assert_eq "piped" "$(echo piped | cr run -- cat)" "stdin passes through"

# Host and domain name are the sandbox's own (verify varies both).
assert_eq "box.example.invalid" "$(cr run --hostname box --domainname example.invalid -- sh -c 'echo "$(hostname).$(domainname)"')" "host and domain name set"
assert_eq "(none)" "$(cr run -- domainname)" "no domain name by default"

# One option for the snapshot, as build, test and verify take it.
assert_eq "0" "$(cr run -d bookworm -- id -u)" "run -d names the snapshot"
run_rc cr run -d bookwrom -- true 2>"$SCRATCH/typo.err"
assert_eq 2 "$rc" "a mistyped snapshot is bad input"
assert_contains "$(cat "$SCRATCH/typo.err")" "did you mean 'bookworm'" "and names the one meant"
