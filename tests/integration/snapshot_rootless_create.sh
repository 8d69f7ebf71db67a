#!/bin/sh
# `snapshot create` as a normal user with a subordinate id range: mmdebstrap
# in unshare mode, the tree owned by the user, seen as root's inside. Uses the
# small "essential" variant to keep the mmdebstrap run short.
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"
user=cleanroom-sub
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
grep -q "^$user:" /etc/subuid ||
  usermod --add-subuids 200000-265535 --add-subgids 200000-265535 "$user"
require_user_namespaces "$user"
uid=$(id -u "$user")
chmod 0755 "$SCRATCH"
mkdir "$SCRATCH/user"
chown "$user" "$SCRATCH/user"

as_user() {
  runuser -u "$user" -- env HOME="$SCRATCH/user" CLEANROOM_STORE="$SCRATCH/user/store" \
    SOURCE_DATE_EPOCH=1700000000 "$CLEANROOM" "$@"
}
as_user snapshot create bookworm --variant essential --name ess --json > "$SCRATCH/ess.json" ||
  fail "create as a user failed"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$SCRATCH/ess.json")
assert_eq 64 "${#id}" "a user can create a snapshot"
root="$SCRATCH/user/store/snapshots/$id/root"
assert_eq "$uid" "$(stat -c %u "$root/etc/passwd")" "the tree belongs to the user"
[ -x "$root/usr/bin/dpkg" ] || fail "dpkg missing from the essential snapshot"
pass "the snapshot holds the essential packages"
assert_eq "" "$(find "$root/dev" ! -type d ! -type l)" "no device nodes in the tree"
run_rc as_user snapshot verify ess >/dev/null 2>&1
assert_eq 0 "$rc" "it verifies"
assert_eq "" "$(find "$SCRATCH/user/store/tmp" -mindepth 1)" "no work dirs are left"
