#!/bin/sh
# Rootless: an unprivileged user with its own store (a copy of the snapshot,
# exported by root and imported by the user, so the user owns every file) runs
# a command as uid 0 of a one-id user namespace.
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"

user=cleanroom-rootless
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
require_user_namespaces "$user"
home=$(getent passwd "$user" | cut -d: -f6)
export_dir="$home/cleanroom-test"
store="$export_dir/store"
as_user() { runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$home" CLEANROOM_STORE="$store" "$@"; }

# The user's copy is made once and reused by later runs of this test.
if ! as_user "$CLEANROOM" snapshot list 2>/dev/null | awk '{print $1}' | grep -qx bookworm; then
  mkdir -p "$export_dir"
  chown "$user:" "$export_dir"
  cr snapshot export bookworm "$export_dir/bookworm.tar.zst"
  chown "$user:" "$export_dir/bookworm.tar.zst"
  as_user "$CLEANROOM" snapshot import "$export_dir/bookworm.tar.zst" --name bookworm --suite bookworm
  rm -f "$export_dir/bookworm.tar.zst"
fi

assert_eq "0" "$(as_user "$CLEANROOM" run -- id -u)" "rootless: uid 0 inside"
assert_eq "0" "$(as_user "$CLEANROOM" run -- stat -c %u /etc/passwd)" "rootless: the user's files show as root's"
assert_eq 42 "$(status_of as_user "$CLEANROOM" run -- sh -c 'exit 42')" "rootless: exit code"
assert_eq "error EPERM" "$(as_user "$CLEANROOM" run -- python3 -c '
import socket, errno
try:
    socket.create_connection(("127.0.0.1", 1), timeout=2)
except OSError as e:
    print("error", errno.errorcode[e.errno])
')" "rootless: offline"
capture as_user "$CLEANROOM" run -- sh -c 'echo x > /proc/sys/kernel/panic'
[ "$rc" -ne 0 ] || fail "rootless: wrote /proc/sys"
pass "rootless: host sysctls are not writable"
mkdir -p "$SCRATCH/rw"
chown "$user:" "$SCRATCH/rw"
chmod 755 "$SCRATCH" "$CLEANROOM_TEST_SCRATCH"
as_user "$CLEANROOM" run --bind "$SCRATCH/rw:/out" -- sh -c 'echo hi > /out/f'
assert_eq "$user" "$(stat -c %U "$SCRATCH/rw/f")" "rootless: files written to a bind belong to the user"
