#!/bin/sh
# cleanroom audit of Debian's own archive, offline and without a .buildinfo:
# real bookworm packages that Debian builds reproducibly (arch any and arch
# all) are rebuilt from their .dsc in the bookworm snapshot; the rebuild must
# equal the archive's .deb byte for byte, or differ only where a known cause
# outside cleanroom (build path, debhelper drift; see known) explains it; a
# package whose source the mirror does not serve complete is "source not
# available" (exit 2), not a crash.
# Downloads are kept in the test cache (lib.sh's fetch_pool).
. "$CLEANROOM_TEST_LIB"
CACHE=$DEBIAN_CACHE
fetch() { fetch_pool "$@"; }

# Packages whose every source file the mirror serves (most answer 404 for
# the orig or debian tarball). sl is a binNMU (5.02-1+b1 of source 5.02-1):
# audit takes its binary-only changelog entry from the .deb.
PACKAGES="
h/hello hello_2.10-3 hello_2.10.orig.tar.gz,hello_2.10.orig.tar.gz.asc,hello_2.10-3.debian.tar.xz hello_2.10-3_amd64.deb
t/tree tree_2.1.0-1 tree_2.1.0.orig.tar.gz,tree_2.1.0-1.debian.tar.xz tree_2.1.0-1_amd64.deb
c/cowsay cowsay_3.03+dfsg2-8 cowsay_3.03+dfsg2.orig.tar.gz,cowsay_3.03+dfsg2-8.debian.tar.xz cowsay_3.03+dfsg2-8_all.deb
s/sl sl_5.02-1 sl_5.02.orig.tar.gz,sl_5.02-1.debian.tar.xz sl_5.02-1+b1_amd64.deb
"

echo "$PACKAGES" | while read -r dir stem files deb; do
  [ -n "$dir" ] || continue
  # shellcheck disable=SC2086
  fetch "$dir" "$stem.dsc" $(echo "$files" | tr , ' ') "$deb" || echo "$deb" >>"$SCRATCH/unfetched"
done
# netbase 6.4 (arch all): the mirror serves its .dsc and .deb, not its tarball.
fetch n/netbase netbase_6.4.dsc netbase_6.4_all.deb || echo netbase >>"$SCRATCH/unfetched"
if [ -s "$SCRATCH/unfetched" ]; then
  curl -sf --max-time 30 -o /dev/null "$DEBIAN_POOL/s/sl/sl_5.02-1.dsc" ||
    skip "the Debian mirror is unreachable and the cache lacks: $(tr '\n' ' ' <"$SCRATCH/unfetched")"
  fail "the mirror answers but would not serve: $(tr '\n' ' ' <"$SCRATCH/unfetched")"
fi

# Differences that come from outside cleanroom, each with its reason. Only
# these may remain; everything else (ar, tar, compression, order, metadata,
# every other file) must equal the archive's. A package listed here that
# starts to reproduce passes too.
#   hello, tree (arch any): the ELF build-id and .gnu_debuglink CRC (same size,
#     about 60 bytes): they hash the debug info, which records the build path
#     Debian's build daemon used (/build/<source>-<random>/...), which only its
#     .buildinfo says; md5sums follows.
#   cowsay (arch all, built before debhelper 13.10): the snapshot's
#     dh_installchangelogs trims old changelog entries; md5sums and
#     Installed-Size follow.
#   sl (binNMU built in 2019 by buster's toolchain): the program, the
#     Depends on libc6 (dpkg-shlibs from another glibc), the trimmed changelog
#     and the blank line that the old debhelper left after the binNMU entry.
known() {
  case $1 in
    hello_*) echo "control.tar.xz::md5sums data.tar.xz::usr/bin/hello" ;;
    tree_*) echo "control.tar.xz::md5sums data.tar.xz::usr/bin/tree" ;;
    cowsay_*) echo "control.tar.xz::control control.tar.xz::md5sums data.tar.xz::usr/share/doc/cowsay/changelog.Debian.gz::changelog.Debian" ;;
    sl_*) echo "control.tar.xz::control control.tar.xz::md5sums data.tar.xz::usr/games/sl data.tar.xz::usr/share/doc/sl/changelog.Debian.gz::changelog.Debian data.tar.xz::usr/share/doc/sl/changelog.Debian.amd64.gz::changelog.Debian.amd64" ;;
  esac
}

# The cache is shared between runs: audit copies, so nothing is written there.
printf '| package | arch | result | seconds |\n|---|---|---|---|\n' >"$SCRATCH/table"
echo "$PACKAGES" | while read -r dir stem files deb; do
  [ -n "$dir" ] || continue
  work="$SCRATCH/$stem"
  mkdir "$work"
  # shellcheck disable=SC2086
  for f in "$stem.dsc" $(echo "$files" | tr , ' ') "$deb"; do cp "$CACHE/$f" "$work/"; done
  start=$(date +%s)
  run_rc cr audit "$work/$deb" --source "$work/$stem.dsc" -d bookworm --json >"$work/audit.json" 2>"$work/audit.err"
  seconds=$(($(date +%s) - start))
  arch=${deb##*_}
  if ! result=$(python3 - "$work/audit.json" "$work/$deb" "$rc" "$(known "$deb")" <<'PY'
import hashlib, json, sys
j = json.load(open(sys.argv[1]))
rc, known = int(sys.argv[3]), set(sys.argv[4].split())
shipped = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert not j["pinned"] and j["source_date_epoch"]["recorded"] is None, j
assert j["source_date_epoch"]["rebuilt"] and not j["error"], j
assert j["sha256_shipped"] == shipped, j
# A binNMU is rebuilt with its binary-only entry, so under its own version.
assert j["binnmu_entry_added"] == ("+b" in j["shipped_version"]), j
assert j["class"] in ("reproduced", "differs", "build-path", "build-date", "compression-only"), j
if rc == 0:
    assert j["reproduced"] and j["sha256_rebuilt"] == shipped, j
    print("reproduced")
else:
    assert rc == 1 and not j["reproduced"], (rc, j)
    paths = {d["path"] for d in j["diff"]["differences"]}
    assert paths and paths <= known, f"unexplained differences: {sorted(paths - known)}"
    print(j["class"] + ": " + ", ".join(sorted(set(p.split("::")[-1] for p in paths))))
PY
  ); then
    cat "$work/audit.json" "$work/audit.err" >&2
    echo "$deb" >>"$SCRATCH/failed"
    result="FAILED"
  fi
  printf '| %s | %s | %s | %s |\n' "${stem%%_*} ${stem#*_}" "${arch%.deb}" "$result" "$seconds" >>"$SCRATCH/table"
  pass "$deb: $result"
done
cat "$SCRATCH/table"
[ ! -s "$SCRATCH/failed" ] || fail "unexplained result for: $(tr '\n' ' ' <"$SCRATCH/failed")"

# The plain report says the build environment was not pinned.
work="$SCRATCH/cowsay_3.03+dfsg2-8"
capture cr audit "$work/cowsay_3.03+dfsg2-8_all.deb" --source "$work/cowsay_3.03+dfsg2-8.dsc"
assert_contains "$out" "build environment was NOT pinned" "the report says nothing pinned the build"
assert_contains "$out" "buildinfo: (none)" "the report names no .buildinfo"

# A source the mirror serves incomplete.
mkdir "$SCRATCH/netbase"
cp "$CACHE/netbase_6.4.dsc" "$CACHE/netbase_6.4_all.deb" "$SCRATCH/netbase/"
capture cr audit "$SCRATCH/netbase/netbase_6.4_all.deb" --source "$SCRATCH/netbase/netbase_6.4.dsc"
assert_eq 2 "$rc" "an incomplete source is an input error"
assert_contains "$out" "source not available" "it says so"
assert_contains "$out" "netbase_6.4.tar.xz" "it names the missing file"
# No .dsc at all.
capture cr audit "$SCRATCH/netbase/netbase_6.4_all.deb" --source "$SCRATCH/netbase/netbase_6.5.dsc"
assert_eq 2 "$rc" "a missing .dsc is an input error"
assert_contains "$out" "source not available" "it says so"
