#!/bin/sh
# A hostile build replaces files that cleanroom (on the host, perhaps root)
# reads after a step with symlinks to a host file the build cannot see: an
# sdist's setup.py its own <dist>.wheel.log, which a failed wheel build copies
# into --out; a postinst the install test's snapshot listing. cleanroom must
# refuse to follow them: the secret reaches neither --out nor the output, and
# the refusal is said.
. "$CLEANROOM_TEST_LIB"
SECRET="$SCRATCH/secret"
printf 'TOPSECRET\n' >"$SECRET"
chmod 0600 "$SECRET"
mkdir -p "$SCRATCH/out" "$SCRATCH/w/sources"

# The wheel log: bound read-write into the sdist's build step at /cleanroom/log.
mkdir "$SCRATCH/hostile-0.1.0"
cat >"$SCRATCH/hostile-0.1.0/setup.py" <<PY
import glob, os, sys
for log in glob.glob("/cleanroom/log/*.wheel.log"):
    os.unlink(log)
    os.symlink("$SECRET", log)
sys.exit(1)
PY
tar -C "$SCRATCH" -czf "$SCRATCH/w/sources/hostile-0.1.0.tar.gz" hostile-0.1.0
cat >"$SCRATCH/w/hostile.toml" <<TOML
format = 1
kind = "wheelhouse"
name = "wh-hostile"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = ["hostile"]
TOML
capture cr build "$SCRATCH/w/hostile.toml" --out "$SCRATCH/out"
assert_eq 1 "$rc" "the hostile sdist's build fails"
assert_contains "$out" "hostile-0.1.0.wheel.log' written by the build is a symbolic link; refusing to follow it" \
  "the refusal names the wheel log"
case "$out" in *TOPSECRET*) fail "the secret reached cleanroom's output" ;; esac
if grep -rq TOPSECRET "$SCRATCH/out"; then fail "the secret reached --out"; fi
[ ! -L "$SCRATCH/out/hostile-0.1.0.wheel.log" ] || fail "a link was published in --out"
pass "a wheel log replaced by a link to a host file is refused"

# The install test's listings: a postinst makes /cleanroom/out/after a link to
# the host file (dangling inside), so the listing after purge cannot replace it.
P="$SCRATCH/evil-postinst"
mkdir -p "$P/DEBIAN"
cat >"$P/DEBIAN/control" <<CTRL
Package: cleanroom-evil-postinst
Version: 1.0
Architecture: all
Maintainer: Cleanroom Tests <tests@example.org>
Description: postinst that plants a link among cleanroom test's results
CTRL
cat >"$P/DEBIAN/postinst" <<SH
#!/bin/sh
ln -sf "$SECRET" /cleanroom/out/after
SH
chmod 0755 "$P/DEBIAN/postinst"
dpkg-deb --root-owner-group -Zxz --build "$P" "$SCRATCH/evil.deb" >/dev/null
capture cr test "$SCRATCH/evil.deb" --offline --json
[ "$rc" -ne 0 ] || fail "the install test of the hostile package passed"
assert_contains "$out" "after' written by the build is a symbolic link; refusing to follow it" \
  "the refusal names the planted listing"
case "$out" in *TOPSECRET*) fail "the secret was reported as a leftover" ;; esac
pass "a test result replaced by a link to a host file is refused"
