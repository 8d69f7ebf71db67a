#!/bin/sh
# A writable --bind of the caller's files: what the sandbox's root writes there
# belongs to the bind's owner (never host root unless root owns it), no other
# sandbox id can write there, and no setuid or setgid file or file capability
# can be made (they would outlive the sandbox: `cp /bin/sh; chmod 4755` gave a
# host root shell). A sandbox without such a bind (a build) still may.
. "$CLEANROOM_TEST_LIB"
require_root "binds of files owned by another user"
mkdir "$SCRATCH/rw" "$SCRATCH/rootrw"
chown 12345:12345 "$SCRATCH/rw"
chmod 0755 "$SCRATCH" "$CLEANROOM_TEST_SCRATCH"

out=$(cr run --bind "$SCRATCH/rw:/x" -- python3 - <<'PY'
import os, subprocess
def attempt(name, f):
    try:
        f()
        print(name, "ok")
    except OSError as e:
        print(name, os.strerror(e.errno))
print("owner", os.stat("/x").st_uid)
subprocess.run(["cp", "/bin/sh", "/x/sh"], check=True)
attempt("chmod-suid", lambda: os.chmod("/x/sh", 0o4755))
attempt("chmod-sgid", lambda: os.chmod("/x/sh", 0o2755))
attempt("open-suid", lambda: os.close(os.open("/x/o", os.O_CREAT | os.O_WRONLY, 0o4755)))
attempt("mknod-suid", lambda: os.mknod("/x/n", 0o104755))
attempt("fcap", lambda: os.setxattr("/x/sh", "security.capability",
                                    bytes.fromhex("0000000201000000010000000000000000000000")))
os.mkdir("/x/d")
r = subprocess.run(["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "touch", "/x/by-1000"])
print("other-id", "ok" if r.returncode == 0 else "refused")
PY
)
assert_contains "$out" "owner 0" "the bind's owner is the sandbox's root"
for probe in chmod-suid chmod-sgid open-suid mknod-suid fcap; do
  assert_contains "$out" "$probe Operation not permitted" "$probe is refused"
done
assert_contains "$out" "other-id refused" "no other sandbox id writes there"
assert_eq "" "$(find "$SCRATCH/rw" -perm /6000)" "no setuid or setgid file reached the host"
assert_eq "12345 12345" "$(stat -c '%u %g' "$SCRATCH/rw/sh")" "a written file belongs to the bind's owner"
assert_eq "12345" "$(stat -c %u "$SCRATCH/rw/d")" "so does a directory"
assert_eq "none" "$(python3 -c '
import os, sys
try:
    os.getxattr(sys.argv[1], "security.capability")
    print("present")
except OSError:
    print("none")' "$SCRATCH/rw/sh")" "no file capability reached the host"

cr run --bind "$SCRATCH/rootrw:/y" -- sh -c 'cp /bin/sh /y/sh; chmod 4755 /y/sh' 2>/dev/null || true
assert_eq "" "$(find "$SCRATCH/rootrw" -perm /6000)" "host root's writable bind gets no setuid file either"
assert_eq "4755" "$(cr run -- sh -c 'touch /tmp/f && chmod 4755 /tmp/f && stat -c %a /tmp/f')" \
  "without a writable bind (as a build) setuid files can still be made"
assert_eq "4755" "$(cr run --bind "$SCRATCH/rootrw:/y:ro" -- sh -c 'touch /tmp/f && chmod 4755 /tmp/f && stat -c %a /tmp/f')" \
  "a read-only bind changes nothing"

# --bind-owner: root names who owns what the sandbox writes, instead of the
# bind's owner; still no setuid file.
mkdir "$SCRATCH/named"
chown 23456:23457 "$SCRATCH/named"
cr run --bind-owner 23456:23457 --bind "$SCRATCH/named:/n" -- sh -c 'echo hi > /n/f; mkdir /n/d'
assert_eq "23456 23457" "$(stat -c '%u %g' "$SCRATCH/named/f")" "--bind-owner owns a written file"
assert_eq "23456" "$(stat -c %u "$SCRATCH/named/d")" "and a directory"
run_rc cr run --bind-owner 23456:23457 --bind "$SCRATCH/named:/n" -- sh -c 'cp /bin/sh /n/sh; chmod 4755 /n/sh' 2>/dev/null
assert_eq "" "$(find "$SCRATCH/named" -perm /6000)" "no setuid file under --bind-owner either"
run_rc cr run --bind-owner no-such-user-here --bind "$SCRATCH/named:/n" -- true 2>"$SCRATCH/owner.err"
assert_eq 2 "$rc" "an unknown --bind-owner is bad input"
assert_contains "$(cat "$SCRATCH/owner.err")" "no user 'no-such-user-here'" "and the error names it"
