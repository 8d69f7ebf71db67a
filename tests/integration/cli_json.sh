#!/bin/sh
# Every command that reports something has --json: doctor, snapshot export,
# import, rm and gc (plan, publish, build, test, verify, audit and diff are
# checked in their own tests).
. "$CLEANROOM_TEST_LIB"

run_rc cr doctor --json >"$SCRATCH/doctor.json"
python3 - "$SCRATCH/doctor.json" <<'PY'
import json, sys
checks = json.load(open(sys.argv[1]))
names = [c["name"] for c in checks]
assert "store" in names and "user namespaces" in names, names
assert all(c["level"] in ("ok", "warn", "missing") and "fix" in c for c in checks), checks
PY
pass "doctor --json lists every check with its level and fix"

cr snapshot export bookworm "$SCRATCH/b.tar.zst" --json >"$SCRATCH/export.json"
id=$(python3 - "$SCRATCH/export.json" "$SCRATCH/b.tar.zst" <<'PY'
import hashlib, json, os, sys
j = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
assert j["id"] == hashlib.sha256(data).hexdigest() and j["size"] == len(data), j
print(j["id"])
PY
)
pass "snapshot export --json names the id, which is the file's sha256"

# A store of its own for what removes.
export CLEANROOM_STORE="$SCRATCH/store"
cr snapshot import "$SCRATCH/b.tar.zst" --name first --suite bookworm --json >"$SCRATCH/import.json"
assert_eq "$id" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$SCRATCH/import.json")" \
  "snapshot import --json gives the same id"
cr snapshot import "$SCRATCH/b.tar.zst" --name second --suite bookworm >/dev/null
cr snapshot rm first --json >"$SCRATCH/rm1.json"
cr snapshot rm second --json >"$SCRATCH/rm2.json"
python3 - "$SCRATCH/rm1.json" "$SCRATCH/rm2.json" "$id" <<'PY'
import json, sys
one, two = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert one == {"removed_names": ["first"], "removed_ids": []}, one
assert two == {"removed_names": ["second"], "removed_ids": [sys.argv[3]]}, two
PY
pass "snapshot rm --json names what went: the name, then the snapshot with its last name"

cr snapshot gc --json >"$SCRATCH/gc.json"
python3 - "$SCRATCH/gc.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j == {"removed": [], "kept_young": [], "kept_in_use": []}, j
PY
pass "snapshot gc --json on a store with nothing to collect"
