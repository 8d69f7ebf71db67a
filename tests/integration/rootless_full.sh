#!/bin/sh
# The laptop case: a normal user with a subordinate id range (as useradd gives)
# gets the sandbox root gets. Its store enters a user namespace (the user is 0,
# its range 1..65535, mapped by newuidmap), so: a snapshot it creates or
# imports has root's id; a build of a Debian source gives root's .deb bytes;
# apt drops to _apt and the build runs as the build user; verify varies the
# build user; audit, test and publish work; a wheelhouse and a venv recipe
# build; and a store whose range was taken away says so with the fix.
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"
U=cleanroom-laptop
test_user "$U" with-range
require_user_namespaces "$U"
command -v newuidmap >/dev/null || skip "newuidmap is not installed (package uidmap)"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
DEB=cleanroom-hello_1.0_amd64.deb
H="$SCRATCH/$U"

capture as_user "$U" doctor
assert_contains "$out" "full (a new store): inside 0 is you, 1-65535 are your subordinate ids" \
  "doctor says a new store of this user gets the full map"

# Same snapshot, same id: created by root and by the user from the same mirror
# state (the small essential variant), and root's bookworm imported.
export SOURCE_DATE_EPOCH=1700000000
root_id=$(cr snapshot create bookworm --variant essential --name rootless-ess-root --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cr snapshot rm rootless-ess-root >/dev/null
user_id=$(as_user "$U" snapshot create bookworm --variant essential --name ess --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || fail "create as the user failed"
assert_eq "$root_id" "$user_id" "a snapshot created by the user has root's id"
unset SOURCE_DATE_EPOCH
python3 - "$H/store/store.json" "$(id -u "$U")" <<'PY' || fail "store.json does not record the subordinate map"
import json, sys
m = json.load(open(sys.argv[1]))["id_map"]
assert m["host_uid_base"] == int(sys.argv[2]) and m["count"] == 65536 and m["sub_uid_base"] > 0, m
PY
pass "the user's store records its subordinate range"
subgid=$(grep "^$U:" /etc/subgid | cut -d: -f2)
ess=$(ls "$H/store/snapshots" | head -n1)
assert_eq "$(id -u "$U") $((subgid + 41))" \
  "$(stat -c '%u %g' "$H/store/snapshots/$ess/root/usr/sbin/unix_chkpwd" | sed 's/ .*//') $(stat -c %g "$H/store/snapshots/$ess/root/usr/sbin/unix_chkpwd")" \
  "root's files are the user's, group shadow (42) is subordinate id 41"

cr snapshot export bookworm "$H/bookworm.tar.zst"
chown "$U" "$H/bookworm.tar.zst"
out=$(as_user "$U" snapshot import "$H/bookworm.tar.zst" --name bookworm 2>&1) || fail "import: $out"
rm -f "$H/bookworm.tar.zst"
assert_contains "$out" "$(cr snapshot list --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if "bookworm" in s["names"]][0])')" \
  "root's export imported by the user keeps its id"

# The sandbox: 65536 ids, _apt and the build user exist.
assert_eq "0 0 1 1 1 65535" "$(as_user "$U" run -- cat /proc/self/uid_map | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')" \
  "the sandbox maps 65536 ids"
assert_eq "uid=42(_apt) gid=65534(nogroup) groups=65534(nogroup)" \
  "$(as_user "$U" run -- setpriv --reuid=42 --regid=65534 --clear-groups id)" "apt's user exists inside"

# A Debian source: the user's .deb is root's, byte for byte.
mkdir "$SCRATCH/src"
cp -a "$FIXTURES/hello-c" "$SCRATCH/src/hello-c"
(cd "$SCRATCH/src" && dpkg-source -b hello-c >/dev/null)
chmod -R a+rX "$SCRATCH/src"
cr build "$SCRATCH/src/cleanroom-hello_1.0.dsc" --out "$SCRATCH/root-out" --no-run-lintian -q >/dev/null
as_user "$U" build "$SCRATCH/src/cleanroom-hello_1.0.dsc" --out "$H/out" --no-run-lintian \
  --json >"$SCRATCH/build.json" || { cat "$H/out/"*.build >&2; fail "the user's build failed"; }
cmp "$SCRATCH/root-out/$DEB" "$H/out/$DEB" || fail "the user's .deb differs from root's"
pass "the user's build gives root's .deb bytes"
grep -q "dpkg-buildpackage" "$H/out/cleanroom-hello_1.0_amd64.build" || fail "no build log"
assert_eq "$U" "$(stat -c %U "$H/out/$DEB")" "the outputs belong to the user"

# verify varies the build user (and umask) and finds it reproducible.
run_rc as_user "$U" verify "$SCRATCH/src/cleanroom-hello_1.0.dsc" --vary=-all,+user_group,+umask --json \
  >"$SCRATCH/verify.json" 2>"$SCRATCH/verify.err"
[ "$rc" = 0 ] || { cat "$SCRATCH/verify.json" "$SCRATCH/verify.err" >&2; fail "verify as the user exited $rc"; }
python3 - "$SCRATCH/verify.json" <<'PY' || fail "verify did not vary the build user"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["reproducible"] and "user_group" in j["variations"], j
assert not j["skipped_variations"], j["skipped_variations"]
PY
pass "verify varies the build user as root's does"

# audit, test and publish.
cp "$SCRATCH/src/cleanroom-hello_1.0.dsc" "$SCRATCH/src/cleanroom-hello_1.0.tar.xz" "$H/out/"
run_rc as_user "$U" audit "$H/out/$DEB" >"$SCRATCH/audit.txt" 2>&1
[ "$rc" = 0 ] || { cat "$SCRATCH/audit.txt" >&2; fail "audit as the user exited $rc"; }
assert_contains "$(cat "$SCRATCH/audit.txt")" "reproduced" "the user audits its package"
run_rc as_user "$U" test "$H/out/$DEB" --offline --run cleanroom-hello >"$SCRATCH/test.txt" 2>&1
[ "$rc" = 0 ] || { cat "$SCRATCH/test.txt" >&2; fail "test as the user exited $rc"; }
pass "the user installs and runs its package in a fresh sandbox"
run_rc as_user "$U" publish "$H/repo" "$H/out/cleanroom-hello_1.0_amd64.changes" --codename bookworm-staging \
  >"$SCRATCH/publish.txt" 2>&1
[ "$rc" = 0 ] || { cat "$SCRATCH/publish.txt" >&2; fail "publish as the user exited $rc"; }
[ -n "$(find "$H/repo/pool" -name "$DEB")" ] || fail "the package is not in the user's repository"
pass "the user publishes into its repository"

# A wheelhouse and a venv recipe.
R="$H/release"
hello_wheelhouse_recipe "$R" "$R/wheelhouse.toml" laptop-wheelhouse
hello_venv_recipe "$R/venv.toml" laptop-hello bookworm
chown -R "$U:" "$R"
as_user "$U" build "$R/wheelhouse.toml" --out "$H/py" -q >/dev/null 2>"$SCRATCH/wh.err" ||
  { cat "$SCRATCH/wh.err" "$H/py/"*.build >&2; fail "the user's wheelhouse build failed"; }
wh=$(ls "$H/py/"laptop-wheelhouse_*.deb)
as_user "$U" build "$R/venv.toml" --wheelhouse "$wh" --out "$H/py" -q >/dev/null 2>"$SCRATCH/ve.err" ||
  { cat "$SCRATCH/ve.err" "$H/py/"*.build >&2; fail "the user's venv build failed"; }
ls "$H/py/"laptop-hello_*.deb >/dev/null || fail "no venv package"
pass "the user builds a wheelhouse and a venv from it"

# The range taken away: the store says so and names the fix.
sed -i "s/\"sub_uid_base\": [0-9]*/\"sub_uid_base\": 4000000000/" "$H/store/store.json"
capture as_user "$U" snapshot list
assert_eq 3 "$rc" "a store whose range is no longer the user's is an environment error"
assert_contains "$out" "no longer give $U" "it says the range is gone"
assert_contains "$out" "usermod --add-subuids 4000000000-" "it names the fix"
