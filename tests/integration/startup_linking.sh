#!/bin/sh
# needs no snapshot
# Every `cleanroom run` and build step pays for loading `cleanroom` and its
# helper: with CLEANROOM_STATIC_DEPS (the default) `cleanroom` needs only libc
# from the dynamic loader (libstdc++, libgcc and fmt are linked in, the C
# libraries from their static archives), and the helper none at all.
. "$CLEANROOM_TEST_LIB"
[ "$CLEANROOM_STATIC_DEPS" = 1 ] || skip "configured with CLEANROOM_STATIC_DEPS=OFF"
[ "$CLEANROOM_SANITIZE" = 0 ] || skip "the sanitizers' runtime is a shared library"
# The loader itself (ld-linux*) is named for its own symbols (TLS): not counted.
needed=$(readelf -d "$CLEANROOM" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^ld-linux' |
  sort | tr '\n' ' ')
assert_eq "libc.so.6 " "$needed" "cleanroom loads only libc"
# libarchive without its table of write formats (runtime/cmake/archive_tar_only.cpp),
# so without libxml2 and ICU: they made the executable 40 MB and doubled the
# pointers the loader relocates.
if nm "$CLEANROOM" | grep -qE ' (archive_write_set_format_xar|xmlInitParser|archive_write_set_format)$'; then
  fail "cleanroom carries libarchive's other write formats: $(nm "$CLEANROOM" | grep -E ' (archive_write_set_format_xar|xmlInitParser|archive_write_set_format)$' | head -3)"
fi
code=$(size "$CLEANROOM" | awk 'NR == 2 { print $1 }')
[ "$code" -lt 16000000 ] || fail "cleanroom's code and read-only data are $code bytes (6.7 MB expected)"
pass "cleanroom carries no libarchive format it does not use, nor libxml2 or ICU"
helper=$(dirname "$CLEANROOM")/cleanroom-sandbox
[ -z "$(readelf -d "$helper" | grep NEEDED)" ] || fail "the helper needs shared libraries: $(readelf -d "$helper" | grep NEEDED)"
pass "the helper is static"
