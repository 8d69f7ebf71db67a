#!/bin/sh
# No way back to privilege: no device nodes, no setuid gain (no_new_privs), no
# writes to global /proc/sys, no terminal injection, no host D-Bus, no abstract
# sockets of the host.
. "$CLEANROOM_TEST_LIB"

capture cr run -- mknod /root/mem c 1 1
[ "$rc" -ne 0 ] || fail "mknod worked"
assert_contains "$out" "Operation not permitted" "mknod of a device: EPERM"

# A setuid-root copy of id(1), run by an unprivileged user inside: it stays that user.
out=$(cr run -- sh -c 'cp /usr/bin/id /root/suid-id && chmod 4755 /root/suid-id &&
  setpriv --reuid=65534 --regid=65534 --clear-groups /root/suid-id -u')
assert_eq "65534" "$out" "a setuid binary grants nothing (no_new_privs)"
assert_eq "1" "$(cr run -- sh -c "awk '/NoNewPrivs/ {print \$2}' /proc/self/status")" "no_new_privs is set"
assert_eq "0000000000000000" "$(cr run --drop-caps -- sh -c "awk '/CapBnd/ {print \$2}' /proc/self/status")" \
  "--drop-caps empties the bounding set"
bnd=$(cr run -- sh -c "awk '/CapBnd/ {print \$2}' /proc/self/status")
# CAP_SYS_ADMIN (21), CAP_MKNOD (27), CAP_NET_RAW (13), CAP_SYS_MODULE (16) never kept.
/usr/bin/python3 -c "
b = int('$bnd', 16)
bad = [c for c in (13, 16, 21, 27) if b >> c & 1]
assert not bad, bad
" || fail "a dangerous capability is in the bounding set $bnd"
pass "default bounding set $bnd has no admin, mknod, raw or module capability"

for f in /proc/sys/vm/drop_caches /proc/sys/kernel/panic /proc/sysrq-trigger; do
  [ -e "$f" ] || continue  # a kernel without magic SysRq has no trigger
  capture cr run -- sh -c "echo 1 > $f"
  [ "$rc" -ne 0 ] || fail "wrote $f"
  case "$out" in *"Permission denied"*|*"Read-only"*) pass "$f is not writable" ;; *) fail "$f: $out" ;; esac
done

out=$(cr run -- python3 -c '
import fcntl, termios, errno
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"x"); print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
' </dev/null)
assert_eq "EPERM" "$out" "TIOCSTI is refused"

out=$(cr run -- python3 -c '
import socket, errno
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("/run/dbus/system_bus_socket"); print("connected")
except OSError as e:
    print(errno.errorcode[e.errno])
')
assert_eq "ENOENT" "$out" "the host's D-Bus socket is not there"

# An abstract unix socket lives in the network namespace: the host's is out of
# reach offline.
name="cleanroom-escape-$$"
/usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX); s.bind('\0$name'); s.listen(1); time.sleep(30)
" &
listener=$!
trap 'kill $listener 2>/dev/null; cleanup_scratch' EXIT
sleep 0.5
out=$(cr run -- python3 -c "
import socket, errno
s = socket.socket(socket.AF_UNIX)
try:
    s.connect('\0$name'); print('connected')
except OSError as e:
    print(errno.errorcode[e.errno])
")
assert_eq "ECONNREFUSED" "$out" "the host's abstract sockets are out of reach offline"
