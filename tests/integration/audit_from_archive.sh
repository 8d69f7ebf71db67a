#!/bin/sh
# cleanroom audit --from-archive: sources and official binaries fetched with
# apt inside the sandbox's network step, each source rebuilt in the bookworm
# snapshot, every binary compared. Real bookworm packages that Debian builds
# reproducibly, arch all and arch any, must equal the archive's .debs byte for
# byte; a source the mirror does not serve complete and a version the archive
# never had are "source not available", not a crash. Downloads are kept in the
# test cache (--downloads), so a later run fetches only the indexes.
. "$CLEANROOM_TEST_LIB"
DOWNLOADS=$DEBIAN_CACHE/apt
mkdir -p "$DOWNLOADS"
curl -sf --max-time 30 -o /dev/null "$DEBIAN_POOL/d/distro-info-data/distro-info-data_0.58+deb12u7.dsc" ||
  skip "the Debian mirror is unreachable: --from-archive fetches with apt"

# Reproducible in Debian and complete on the mirror (most sources lack a
# tarball there): base-files is arch any (and has a root:staff directory),
# the others arch all; ca-certificates ships a control file older than its
# changelog. netbase 6.4's tarball is not served; hello 9.9-9 never existed.
cat >"$SCRATCH/list" <<'EOF'
# SOURCE=VERSION, one per line
base-files=12.4+deb12u15
ca-certificates=20230311+deb12u1
debian-archive-keyring=2023.3+deb12u2   # arch all
distro-info-data=0.58+deb12u7

netbase=6.4
EOF
run_rc cr audit --from-archive "$SCRATCH/list" tzdata=2026b-0+deb12u1 hello=9.9-9 -d bookworm \
  --downloads "$DOWNLOADS" --json >"$SCRATCH/audit.json" 2>"$SCRATCH/audit.err"
cat "$SCRATCH/audit.err" >&2
assert_eq 1 "$rc" "sources that are not available make the batch exit 1"
python3 - "$SCRATCH/audit.json" "$DOWNLOADS" <<'PY' || fail "the JSON summary is wrong"
import hashlib, json, os, sys
j = json.load(open(sys.argv[1]))
by = {p["source"]: p for p in j["packages"]}
assert [p["source"] for p in j["packages"]] == ["base-files", "ca-certificates",
    "debian-archive-keyring", "distro-info-data", "netbase", "tzdata", "hello"], list(by)
for name in ["base-files", "ca-certificates", "debian-archive-keyring", "distro-info-data", "tzdata"]:
    p = by[name]
    assert p["outcome"] == "reproduced", p
    assert p["binaries"], p
    for b in p["binaries"]:
        assert b["reproduced"] and b["class"] == "reproduced", b
        # The archive's bytes: the fetched .deb, and apt checked it against
        # the signed index.
        stem = f'{name}_{p["version"]}'
        shipped = hashlib.sha256(open(os.path.join(sys.argv[2], stem, b["deb"]), "rb").read()).hexdigest()
        assert b["sha256_shipped"] == shipped == b["sha256_rebuilt"], b
assert any(b["deb"].endswith("_amd64.deb") for b in by["base-files"]["binaries"]), by["base-files"]
for name in ["netbase", "hello"]:
    assert by[name]["outcome"] == "source-not-available" and not by[name]["binaries"], by[name]
assert "netbase_6.4.tar.xz" in by["netbase"]["note"], by["netbase"]["note"]
assert "no hello 9.9-9" in by["hello"]["note"], by["hello"]["note"]
assert j["summary"] == {"reproduced": 5, "differs": 0, "failed": 0, "source-not-available": 2}, j["summary"]
assert not j["ok"], j
PY
pass "5 real bookworm sources (arch all and any) reproduced byte for byte; 2 not available"
assert_contains "$(cat "$SCRATCH/audit.err")" "[7/7] hello 9.9-9" "progress is shown"

# The table, and exit 0 when everything reproduced (the downloads are reused).
capture_stdout cr audit --from-archive distro-info-data=0.58+deb12u7 -d bookworm --downloads "$DOWNLOADS"
assert_eq 0 "$rc" "a reproduced batch exits 0"
assert_contains "$out" "distro-info-data  0.58+deb12u7  reproduced" "the table has the row"
assert_contains "$out" "1 sources: 1 reproduced" "and the summary"

# Bad requests: one line naming where and what to write.
capture cr audit --from-archive "../etc=1.0" -d bookworm
assert_eq 2 "$rc" "a name Debian does not allow is an input error"
assert_contains "$out" "is not SOURCE=VERSION" "it says what is expected"
capture cr audit --from-archive 'hello=1.0;touch /tmp/x' -d bookworm
assert_eq 2 "$rc" "a version with a shell character is an input error"
printf 'hello=2.10-3\nhello 2.10-3\n' >"$SCRATCH/bad-list"
capture cr audit --from-archive "$SCRATCH/bad-list" -d bookworm
assert_eq 2 "$rc" "a bad line in a list is an input error"
assert_contains "$out" "$SCRATCH/bad-list:2:" "it names the file and line"
capture cr audit "$SCRATCH/x.deb" --from-archive hello=2.10-3
assert_eq 2 "$rc" "a .deb with --from-archive is an input error"
pass "bad requests are refused with file and line"
