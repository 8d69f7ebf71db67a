#!/bin/sh
# needs no snapshot
# Every `cleanroom run` and build step pays for loading `cleanroom` and its
# helper: with CLEANROOM_STATIC_DEPS (the default) `cleanroom` needs only libc
# and libm from the dynamic loader (libstdc++, libgcc and fmt are linked in,
# the C libraries from their static archives), and the helper none at all.
. "$CLEANROOM_TEST_LIB"
[ "$CLEANROOM_STATIC_DEPS" = 1 ] || skip "configured with CLEANROOM_STATIC_DEPS=OFF"
[ "$CLEANROOM_SANITIZE" = 0 ] || skip "the sanitizers' runtime is a shared library"
# The loader itself (ld-linux*) is named for its own symbols (TLS): not counted.
needed=$(readelf -d "$CLEANROOM" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^ld-linux' |
  sort | tr '\n' ' ')
assert_eq "libc.so.6 libm.so.6 " "$needed" "cleanroom loads only libc and libm"
helper=$(dirname "$CLEANROOM")/cleanroom-sandbox
[ -z "$(readelf -d "$helper" | grep NEEDED)" ] || fail "the helper needs shared libraries: $(readelf -d "$helper" | grep NEEDED)"
pass "the helper is static"
