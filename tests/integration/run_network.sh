#!/bin/sh
# Offline by default: a network namespace with only loopback and no internet
# sockets, so a listener on the host's loopback is out of reach. --network
# shares the host's network (and its resolv.conf, read-only).
. "$CLEANROOM_TEST_LIB"

PY=/usr/bin/python3
port_file="$SCRATCH/port"
hits="$SCRATCH/hits"
# A host listener on 127.0.0.1 that records every connection it gets.
$PY - "$port_file" "$hits" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    open(sys.argv[2], "a").write("hit\n")
    c.sendall(b"hello\n")
    c.close()
PY
listener=$!
trap 'kill $listener 2>/dev/null; cleanup_scratch' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")

probe='
import socket, sys, errno
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    print("connected", s.recv(6).decode().strip())
except OSError as e:
    print("error", errno.errorcode.get(e.errno, e.errno))
'
out=$(cr run -- python3 -c "$probe" "$port")
assert_eq "error EPERM" "$out" "offline: an internet socket is refused with EPERM"
[ ! -s "$hits" ] || fail "the host listener got a connection from an offline sandbox"
pass "offline: the host listener saw nothing"

# Without the seccomp rule the namespace alone still has nothing but lo.
ifaces=$(cr run -- sh -c "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")
assert_eq "lo" "$ifaces" "offline: only the loopback interface"
assert_eq "connected hello" "$(cr run -- python3 -c '
import socket
srv = socket.socket(socket.AF_UNIX); srv.bind("\0probe"); srv.listen(1)
c = socket.socket(socket.AF_UNIX); c.connect("\0probe")
a, _ = srv.accept(); a.sendall(b"hello"); print("connected", c.recv(5).decode())
')" "offline: unix sockets work"

out=$(cr run --network -- python3 -c "$probe" "$port")
assert_eq "connected hello" "$out" "--network: the host listener is reachable"
assert_eq "hit" "$(cat "$hits")" "--network: exactly one connection arrived"
if [ -f /etc/resolv.conf ]; then
  assert_eq "$(cat /etc/resolv.conf)" "$(cr run --network -- cat /etc/resolv.conf)" "--network: the host's resolv.conf"
fi
capture cr run --network -- sh -c 'echo x >> /etc/resolv.conf'
[ "$rc" -ne 0 ] || fail "--network: resolv.conf is writable"
pass "--network: resolv.conf is read-only"
