#!/bin/sh
# Real sdists come in more shapes than setuptools makes: a tarball with its
# files at the root (repacked, archive-generated) and a zip with or without a
# top directory build like the usual one-directory tarball. A recipe's
# [build_env] reaches the one build it names and the .buildinfo; a failed
# build shows the end of its log and suggests build_packages only when
# something is missing; names that break hermeticity and unknown
# distributions are refused with the recipe's line.
. "$CLEANROOM_TEST_LIB"
W="$SCRATCH/release"
mkdir -p "$W/sources" "$SCRATCH/out"
pack_tar() { # name dir-to-pack members...
  name=$1 from=$2
  shift 2
  tar -C "$from" --sort=name --mtime=@1704067200 --owner=0 --group=0 --numeric-owner \
    -cf - "$@" | gzip -n > "$W/sources/$name"
}
pack_zip() { # name dir prefix
  python3 - "$W/sources/$1" "$2" "$3" <<'PY'
import os, sys, zipfile
out, root, prefix = sys.argv[1:]
with zipfile.ZipFile(out, "w") as z:
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, prefix + os.path.relpath(p, root))
PY
}
for n in topdir flatpkg zipflat ziptop; do setuptools_project "$SCRATCH/$n-0.1.0" "$n"; done
pack_tar topdir-0.1.0.tar.gz "$SCRATCH" topdir-0.1.0
pack_tar flatpkg-0.1.0.tar.gz "$SCRATCH/flatpkg-0.1.0" pyproject.toml flatpkg
pack_zip zipflat-0.1.0.zip "$SCRATCH/zipflat-0.1.0" ""
pack_zip ziptop-0.1.0.zip "$SCRATCH/ziptop-0.1.0" "ziptop-0.1.0/"
tar -tzf "$W/sources/flatpkg-0.1.0.tar.gz" | grep -qx pyproject.toml || fail "the flat tarball is not flat"

# An sdist that builds only with a switch in its environment, like xxhash's
# XXHASH_LINK_SO; it says so on stderr, as such setup.py files do.
E="$SCRATCH/envpkg-0.1.0"
setuptools_project "$E" envpkg
cat > "$E/setup.py" <<'PY'
import os, sys
from setuptools import setup
if os.environ.get("ENVPKG_FEATURE") != "on":
    sys.exit("envpkg: the build needs ENVPKG_FEATURE=on")
if "-O2" not in os.environ.get("CFLAGS", "").split() or "-ffile-prefix-map" not in os.environ["CFLAGS"]:
    sys.exit("envpkg: CFLAGS lost the recipe's -O2 or the path map")
setup()
PY
pack_tar envpkg-0.1.0.tar.gz "$SCRATCH" envpkg-0.1.0

recipe() { # file name requirements [extra lines]
  cat > "$1" <<TOML
format = 1
kind = "wheelhouse"
name = "$2"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = $3
${4:-}
TOML
}

recipe "$W/layouts.toml" wh-layouts '["topdir", "flatpkg", "zipflat", "ziptop"]'
cr build "$W/layouts.toml" --out "$SCRATCH/out" -q > "$SCRATCH/layouts.out" 2>&1 \
  || { cat "$SCRATCH/layouts.out" >&2; fail "the wheelhouse of four layouts failed"; }
dpkg-deb -c "$SCRATCH"/out/wh-layouts_1.0-1_*.deb > "$SCRATCH/layouts.list"
for n in topdir flatpkg zipflat ziptop; do
  grep -q "/$n-0.1.0-py3-none-any.whl" "$SCRATCH/layouts.list" || fail "no wheel for $n"
done
pass "a flat tarball, a flat zip, a zip and a tarball with a top directory all build"

# Without the switch: the log's end is in the message, build_packages is not.
recipe "$W/noenv.toml" wh-noenv '["envpkg"]'
capture cr build "$W/noenv.toml" --out "$SCRATCH/out"
assert_eq 1 "$rc" "the sdist's build fails without its switch"
assert_contains "$out" "envpkg: the build needs ENVPKG_FEATURE=on" "the message shows the log's end"
case "$out" in *build_packages*) fail "build_packages is suggested for a failure that is not a missing package: $out" ;; esac
pass "build_packages is not suggested"

recipe "$W/env.toml" wh-env '["envpkg"]' '[build_env]
CFLAGS = "-O2"
[build_env.EnvPkg]
ENVPKG_FEATURE = "on"'
cr build "$W/env.toml" --out "$SCRATCH/out" -q > "$SCRATCH/env.out" 2>&1 \
  || { cat "$SCRATCH/env.out" >&2; fail "build_env did not reach the build"; }
bi=$(cat "$SCRATCH"/out/wh-env_1.0-1_*.buildinfo)
assert_contains "$bi" ' CFLAGS="-O2"' "the recipe-wide variable is in the .buildinfo"
assert_contains "$bi" ' envpkg:ENVPKG_FEATURE="on"' "the distribution's variable is in the .buildinfo"

# A typo in the distribution's name, and names that would break hermeticity.
recipe "$W/typo.toml" wh-typo '["envpkg"]' '[build_env.envpkgg]
ENVPKG_FEATURE = "on"'
capture cr build "$W/typo.toml" --out "$SCRATCH/out"
assert_eq 1 "$rc" "the resolve step fails on a table for a distribution not in the requirements"
assert_contains "$out" "typo.toml:10: [build_env.envpkgg]" "the table is named with its line"
assert_contains "$out" "did you mean 'envpkg'?" "the nearest requirement is offered"
recipe "$W/leak.toml" wh-leak '["envpkg"]' '[build_env]
PIP_INDEX_URL = "https://pypi.example.org/simple"
HTTPS_PROXY = "http://proxy.example.org:3128"'
capture cr build "$W/leak.toml" --out "$SCRATCH/out"
assert_eq 2 "$rc" "hermeticity-breaking names are bad input"
assert_contains "$out" "leak.toml:11: build_env.PIP_INDEX_URL may not be set" "PIP_* is refused with its line"
assert_contains "$out" "leak.toml:12: build_env.HTTPS_PROXY may not be set" "a proxy is refused with its line"
