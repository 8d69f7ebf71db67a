#!/bin/sh
# A command cannot read the host's files: not /etc/shadow, not through /proc,
# not through a symlink planted in a bind, and cannot write outside its binds.
. "$CLEANROOM_TEST_LIB"

host_sum=$(sha256sum /etc/shadow | cut -d' ' -f1)
inside_sum=$(cr run -- sha256sum /etc/shadow | cut -d' ' -f1)
[ "$host_sum" != "$inside_sum" ] || fail "the sandbox read the host's /etc/shadow"
pass "/etc/shadow is the snapshot's, not the host's"

out=$(cr run -- sh -c 'for p in /oldroot /newroot /proc/1/root/oldroot; do [ -e $p ] && echo "$p"; done; true')
assert_eq "" "$out" "no trace of the host's root (old root detached)"
assert_eq "/" "$(cr run -- readlink /proc/self/root)" "the command's root is the sandbox's"
assert_eq "denied" "$(cr run -- sh -c 'ls /proc/1/root/ >/dev/null 2>&1 && echo open || echo denied')" \
  "pid 1 (not dumpable) cannot be looked into"
# Captured first: a sandbox that fails must fail the test, not read as empty.
found=$(cr run -- sh -c "grep -l '$SCRATCH' /proc/self/mountinfo || true")
assert_eq "" "$found" "host paths absent from the mount table"

# Writing through a symlink in a bind lands inside the sandbox, not on the host.
mkdir "$SCRATCH/data"
cr run --bind "$SCRATCH/data:/data" -- sh -c \
  "ln -s / /data/root; ln -s $SCRATCH /data/scratch; echo x > /data/root/escaped-$$; echo x > /data/scratch/escaped 2>/dev/null; mkdir -p $SCRATCH; echo x > $SCRATCH/escaped; true"
[ ! -e "/escaped-$$" ] || { rm -f "/escaped-$$"; fail "wrote to the host's /"; }
[ ! -e "$SCRATCH/escaped" ] || fail "wrote outside the bind on the host"
assert_eq "data" "$(ls "$SCRATCH")" "nothing written next to the bind"
pass "writes outside the binds stay in the sandbox"

# /tmp inside is the sandbox's own.
touch "$SCRATCH/../host-tmp-probe-$$" 2>/dev/null || true
assert_eq "absent" "$(cr run -- sh -c "[ -e /tmp/host-tmp-probe-$$ ] && echo present || echo absent")" \
  "the host's /tmp is not visible"
rm -f "$SCRATCH/../host-tmp-probe-$$"
