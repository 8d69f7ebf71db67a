#!/bin/sh
# What dpkg-buildpackage's sequence does must still happen when cleanroom runs
# only the debian/rules targets it needs (`dpkg-buildpackage -T`):
# - a copied 3.0 (quilt) tree gets its unapplied patches applied, and its .dsc
#   gives the same .deb;
# - `clean` runs first, so a stale build product in the tree is rebuilt;
# - with Rules-Requires-Root other than "no", `build` runs alone as the build
#   user and `binary` under fakeroot as (fake) root.
. "$CLEANROOM_TEST_LIB"
FIXTURES="$CLEANROOM_SOURCE_DIR/tests/data/fixtures"

# Prints the greeting the packaged program's binary carries.
greeting_in() { # deb
  rm -rf "$SCRATCH/x" && dpkg-deb -x "$1" "$SCRATCH/x"
  grep -ao 'hello from [a-z -]*' "$SCRATCH/x/usr/bin/cleanroom-hello" || echo "(no greeting)"
}

# 1. A quilt tree whose one patch is not applied.
q="$SCRATCH/cleanroom-hello-1.0"
cp -a "$FIXTURES/hello-c" "$q"
tar -C "$SCRATCH" --exclude=debian -czf "$SCRATCH/cleanroom-hello_1.0.orig.tar.gz" cleanroom-hello-1.0
echo '3.0 (quilt)' >"$q/debian/source/format"
sed -i '1s/(1.0)/(1.0-1)/' "$q/debian/changelog"
mkdir -p "$q/debian/patches"
cat >"$q/debian/patches/greeting.patch" <<'EOF'
Description: a greeting only the patched source has
--- a/src/hello.c
+++ b/src/hello.c
@@ -1,6 +1,6 @@
 #include <stdio.h>
 
 int main(void) {
-  printf("hello from cleanroom-hello\n");
+  printf("hello from patched quilt\n");
   return 0;
 }
EOF
echo greeting.patch >"$q/debian/patches/series"
mkdir "$SCRATCH/out-tree" "$SCRATCH/out-dsc"
cr build "$q" --out "$SCRATCH/out-tree" --no-run-lintian -q
assert_eq "hello from patched quilt" "$(greeting_in "$SCRATCH/out-tree/cleanroom-hello_1.0-1_amd64.deb")" \
  "the quilt tree's unapplied patch was applied"
grep -q 'hello from cleanroom-hello' "$q/src/hello.c" || fail "the user's tree was patched in place"
log="$SCRATCH/out-tree/cleanroom-hello_1.0-1_amd64.build"
grep -q -- '-T clean,binary ' "$log" || fail "the build log does not show the targets run"
if grep -q 'dpkg-genchanges' "$log"; then fail "dpkg-genchanges ran: cleanroom writes the .changes"; fi
pass "only the debian/rules targets ran"

(cd "$SCRATCH" && dpkg-source -b cleanroom-hello-1.0 >/dev/null 2>&1) || fail "dpkg-source -b failed"
cr build "$SCRATCH/cleanroom-hello_1.0-1.dsc" --out "$SCRATCH/out-dsc" --no-run-lintian -q
cmp "$SCRATCH/out-tree/cleanroom-hello_1.0-1_amd64.deb" "$SCRATCH/out-dsc/cleanroom-hello_1.0-1_amd64.deb" \
  || fail "the quilt .dsc build differs from the quilt tree build"
pass "the quilt .dsc gives the same .deb as its tree"

# 2. A stale product left in the tree, newer than its source: only `clean`
# (make clean) removes it, else make would package it as it is.
s="$SCRATCH/stale"
cp -a "$FIXTURES/hello-c" "$s"
printf '#!/bin/sh\necho hello from a stale leftover\n' >"$s/cleanroom-hello"
chmod 0755 "$s/cleanroom-hello"
touch -d '+1 hour' "$s/cleanroom-hello"
mkdir "$SCRATCH/out-stale"
cr build "$s" --out "$SCRATCH/out-stale" --no-run-lintian -q
assert_eq "hello from cleanroom-hello" "$(greeting_in "$SCRATCH/out-stale/cleanroom-hello_1.0_amd64.deb")" \
  "clean ran before the build: the stale program was rebuilt"

# 3. Rules-Requires-Root: binary-targets. Each target records who ran it.
r="$SCRATCH/root-targets"
cp -a "$FIXTURES/hello-c" "$r"
sed -i 's/^Rules-Requires-Root: no$/Rules-Requires-Root: binary-targets/' "$r/debian/control"
cat >>"$r/debian/rules" <<'EOF'

override_dh_auto_build:
	id -u >build-uid
	dh_auto_build

execute_after_dh_auto_install:
	install -D -m 0644 build-uid debian/cleanroom-hello/usr/share/cleanroom-hello/build-uid
	id -u >debian/cleanroom-hello/usr/share/cleanroom-hello/binary-uid
EOF
mkdir "$SCRATCH/out-root"
cr build "$r" --out "$SCRATCH/out-root" --no-run-lintian -q
grep -q -- '-T clean,build,binary -j[0-9]* -rfakeroot' "$SCRATCH/out-root/cleanroom-hello_1.0_amd64.build" \
  || fail "the build log does not show build and binary run apart, binary under fakeroot"
rm -rf "$SCRATCH/x" && dpkg-deb -x "$SCRATCH/out-root/cleanroom-hello_1.0_amd64.deb" "$SCRATCH/x"
assert_eq "1000" "$(cat "$SCRATCH/x/usr/share/cleanroom-hello/build-uid")" "build ran as the build user"
assert_eq "0" "$(cat "$SCRATCH/x/usr/share/cleanroom-hello/binary-uid")" "binary ran under fakeroot"
