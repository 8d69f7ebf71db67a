#!/bin/sh
# A worker without the plan's snapshot: cleanroom-artifacts share-snapshots
# exports it into the artifact store once, and `snapshot --node` on a worker
# with an empty cleanroom store imports it and checks that it gets the id the
# plan names; an archive that imports as another snapshot is refused.
. "$CLEANROOM_TEST_LIB"
ART="$CLEANROOM_SOURCE_DIR/scripts/buildbot/cleanroom-artifacts"
STORE="$SCRATCH/artifacts"
cp -R "$CLEANROOM_SOURCE_DIR/recipes" "$SCRATCH/release"
"$CLEANROOM_SOURCE_DIR/scripts/example-sdists" "$SCRATCH/release/demo-wheelhouse/sources" >/dev/null
cd "$SCRATCH/release"
cr plan . --out out --json > plan.json
id=$(/usr/bin/python3 -c 'import json; print(json.load(open("plan.json"))["nodes"][0]["snapshot"]["id"])')
[ ${#id} = 64 ] || fail "the plan names no snapshot id: '$id'"

capture "$ART" --store "$STORE" share-snapshots --cleanroom "$CLEANROOM"
[ "$rc" = 0 ] || fail "share-snapshots exited $rc: $out"
[ -f "$STORE/snapshots/$id.tar.zst" ] || fail "no snapshots/$id.tar.zst in the store"
assert_contains "$("$ART" --store "$STORE" share-snapshots --cleanroom "$CLEANROOM")" "already in" \
  "the snapshot is exported once"
assert_eq "" "$(ls "$STORE/tmp")" "no export is left half-written"

# The other worker: its own, empty cleanroom store.
capture env CLEANROOM_STORE="$SCRATCH/worker-store" "$ART" --store "$STORE" snapshot --node hello-cli --cleanroom "$CLEANROOM"
[ "$rc" = 0 ] || fail "snapshot --node exited $rc: $out"
assert_contains "$out" "imported from the store" "a worker without the snapshot imports it"
got=$(CLEANROOM_STORE="$SCRATCH/worker-store" cr snapshot list --json | /usr/bin/python3 -c \
  'import json, sys; print(" ".join(s["id"] + ":" + ",".join(s["names"]) for s in json.load(sys.stdin)))')
assert_eq "$id:bookworm" "$got" "it holds the plan's snapshot, by id and name"
assert_contains "$(CLEANROOM_STORE="$SCRATCH/worker-store" "$ART" --store "$STORE" snapshot --node hello-cli --cleanroom "$CLEANROOM")" \
  "is here" "a second time it imports nothing"

# A store whose archive is another snapshot's: refused, naming both ids.
python3 - "$STORE/snapshots/$id.tar.zst" <<'PY'
import io, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    for name, data in (("etc/debian_version", b"12.0\n"), ("etc/os-release", b"ID=debian\n")):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
open(sys.argv[1] + ".tar", "wb").write(buf.getvalue())
PY
zstd -q -f "$STORE/snapshots/$id.tar.zst.tar" -o "$STORE/snapshots/$id.tar.zst"
capture env CLEANROOM_STORE="$SCRATCH/other-store" "$ART" --store "$STORE" snapshot --node hello-cli --cleanroom "$CLEANROOM"
assert_eq 1 "$rc" "an archive that is another snapshot fails the step"
assert_contains "$out" "the plan needs $id" "and says which id the plan needs"
