#!/bin/sh
# A normal user without a subordinate range still builds, in the documented
# one-id mode: doctor says which mode this is and how to get the full one; apt
# does not switch to _apt; chown reports success and changes nothing, so dpkg
# installs packages with other owners; the build runs as the sandbox's root;
# verify reports the build-user variation as skipped with its reason; and a
# package that does not depend on file ownership comes out as root's.
. "$CLEANROOM_TEST_LIB"
require_root "creating the test user"
U=cleanroom-norange
test_user "$U" no-range
require_user_namespaces "$U"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"
DEB=cleanroom-hello_1.0_amd64.deb
H="$SCRATCH/$U"

capture as_user "$U" doctor
assert_contains "$out" "one id: apt does not switch to _apt" "doctor names the one-id mode"
assert_contains "$out" "no range of 65535 ids for $U" "doctor says why"
assert_contains "$out" "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $U" \
  "doctor names the fix for the full mode"
[ ! -e "$H/store" ] || fail "doctor made a store"
as_user "$U" snapshot list >/dev/null
capture as_user "$U" doctor
assert_contains "$out" "(this store was made so)" "doctor tells an existing one-id store from a new one"
python3 - "$H/store/store.json" "$(id -u "$U")" <<'PY' || fail "store.json is not one id"
import json, sys
m = json.load(open(sys.argv[1]))["id_map"]
assert m["host_uid_base"] == int(sys.argv[2]) and m["count"] == 1 and "sub_uid_base" not in m, m
PY
pass "the store maps the user's own id"

cr snapshot export bookworm "$H/bookworm.tar.zst"
chown "$U" "$H/bookworm.tar.zst"
as_user "$U" snapshot import "$H/bookworm.tar.zst" --name bookworm >/dev/null 2>&1 || fail "import failed"
rm -f "$H/bookworm.tar.zst"
assert_eq "uid=0(root) gid=0(root) groups=0(root)" "$(as_user "$U" run -- id)" "one id: root inside"
assert_eq "0 0" "$(as_user "$U" run -- sh -c 'touch /tmp/f && chown 8:8 /tmp/f && stat -c "%u %g" /tmp/f')" \
  "chown reports success and changes nothing"

mkdir "$SCRATCH/src"
cp -a "$FIXTURES/hello-c" "$SCRATCH/src/hello-c"
(cd "$SCRATCH/src" && dpkg-source -b hello-c >/dev/null)
chmod -R a+rX "$SCRATCH/src"
cr build "$SCRATCH/src/cleanroom-hello_1.0.dsc" --out "$SCRATCH/root-out" --no-run-lintian -q >/dev/null
as_user "$U" build "$SCRATCH/src/cleanroom-hello_1.0.dsc" --out "$H/out" --no-run-lintian -q \
  >/dev/null 2>"$SCRATCH/build.err" || { cat "$SCRATCH/build.err" "$H/out/"*.build >&2; fail "the one-id build failed"; }
grep -q "Unpacking man-db" "$H/out/cleanroom-hello_1.0_amd64.build" ||
  fail "the build dependencies did not include man-db (owned by user man), which this test is about"
cmp "$SCRATCH/root-out/$DEB" "$H/out/$DEB" || fail "the one-id .deb differs from root's"
pass "the one-id build gives root's .deb bytes"

run_rc as_user "$U" verify "$SCRATCH/src/cleanroom-hello_1.0.dsc" --vary=-all,+user_group,+umask --json \
  >"$SCRATCH/verify.json" 2>"$SCRATCH/verify.err"
[ "$rc" = 0 ] || { cat "$SCRATCH/verify.json" "$SCRATCH/verify.err" >&2; fail "verify exited $rc"; }
python3 - "$SCRATCH/verify.json" <<'PY' || fail "verify did not report the user variation as skipped"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["reproducible"] and j["variations"] == ["umask"], j
skipped = {s["variation"]: s["why"] for s in j["skipped_variations"]}
assert "subordinate id range" in skipped["user_group"], skipped
PY
pass "verify skips the build-user variation and says why"

capture as_user "$U" snapshot create bookworm --variant essential --name ess
assert_eq 3 "$rc" "snapshot create without a range is an environment error"
assert_contains "$out" "usermod --add-subuids" "it names the fix"
