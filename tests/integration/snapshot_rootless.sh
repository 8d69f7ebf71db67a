#!/bin/sh
# The store as a normal user: the id map is the user's own uid (count 1),
# imports, verify, export round trips and rm work without privileges, and
# `snapshot create` without a subuid range fails with exit 3 naming the fix.
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"
user=cleanroom-test
# A system user gets no /etc/subuid range: exactly the case to test.
id "$user" >/dev/null 2>&1 || useradd --system --create-home --shell /bin/sh "$user"
uid=$(id -u "$user")

chmod 0755 "$SCRATCH"
mkdir "$SCRATCH/user"
mkdir -p "$SCRATCH/tree/etc" "$SCRATCH/tree/usr/bin" "$SCRATCH/tree/var/mail"
echo hello > "$SCRATCH/tree/etc/motd"
printf '#!/bin/sh\n' > "$SCRATCH/tree/usr/bin/tool"
chmod 0755 "$SCRATCH/tree/usr/bin/tool"
chown 0:8 "$SCRATCH/tree/var/mail"
chmod 2775 "$SCRATCH/tree/var/mail"
tar -C "$SCRATCH/tree" -czf "$SCRATCH/user/tree.tar.gz" .
chown -R "$user" "$SCRATCH/user"

as_user() {
  runuser -u "$user" -- env HOME="$SCRATCH/user" CLEANROOM_STORE="$SCRATCH/user/store" \
    "$CLEANROOM" "$@"
}
user_status() { status_of as_user "$@"; }

out=$(as_user snapshot import "$SCRATCH/user/tree.tar.gz" --name tree)
assert_contains "$out" "snapshot 'tree'" "a user can import"
python3 - "$SCRATCH/user/store/store.json" "$uid" <<'PY' || fail "store.json id map is not the user's"
import json, sys
m = json.load(open(sys.argv[1]))["id_map"]
assert m["host_uid_base"] == int(sys.argv[2]) and m["count"] == 1, m
PY
pass "a user's store maps to the user's own uid, count 1"
id=$(ls "$SCRATCH/user/store/snapshots")
owner=$(stat -c %u "$SCRATCH/user/store/snapshots/$id/root/var/mail")
assert_eq "$uid" "$owner" "the tree belongs to the user"
assert_eq 0 "$(user_status snapshot verify tree)" "verify passes"
grep -q "^var/mail	d	2775	0	0	" "$SCRATCH/user/store/snapshots/$id/manifest" ||
  fail "manifest does not record var/mail as root's"
pass "inside the sandbox everything is root's"

as_user snapshot export tree "$SCRATCH/user/tree.tar.xz"
out=$(as_user snapshot import "$SCRATCH/user/tree.tar.xz" --name again)
assert_contains "$out" "$id" "export and re-import keep the id"

echo changed > "$SCRATCH/user/store/snapshots/$id/root/etc/motd"
assert_eq 1 "$(user_status snapshot verify tree)" "tampering is found as a user"

err=$(as_user snapshot create bookworm --name b 2>&1 || true)
assert_eq 3 "$(user_status snapshot create bookworm --name b)" \
  "create without a subuid range exits 3"
assert_contains "$err" "usermod --add-subuids" "the error names the fix"

out=$(as_user snapshot rm --force "$id")
assert_contains "$out" "removed snapshot $id" "a user can remove"
