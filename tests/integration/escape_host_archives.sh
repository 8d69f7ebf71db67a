#!/bin/sh
# What cleanroom itself reads on the host from untrusted archives stays within
# bounds: a .tar.zst holding a 1 GiB member is compared in little memory, the
# comparison's decompression budget ends it with exit 3, a zip whose entries
# overlap (a zip bomb) is refused with exit 2, an import stops at its unpack
# budget, an imported tree's links out are not followed and its codename is
# checked, diff output escapes what a terminal would act on, and audit takes
# neither a path nor an alias from a .buildinfo. Needs no snapshot: each part
# uses its own store under $SCRATCH.
. "$CLEANROOM_TEST_LIB"

command -v zstd >/dev/null || skip "zstd is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed (apt-get install time)"
store="$SCRATCH/store"

# --- 1. A 33 KB .tar.zst with a 1 GiB member -------------------------------
# Streamed: the member never exists on disk or in this script's memory.
big_tar() { # out note
  d="$SCRATCH/src-$2"
  mkdir -p "$d"
  echo "$2" > "$d/note"
  python3 - "$d/note" <<'PY' | zstd -q -1 -o "$1"
import os, sys, tarfile
note = open(sys.argv[1], "rb").read()
out = sys.stdout.buffer
def header(name, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    return info.tobuf(tarfile.GNU_FORMAT)
out.write(header("big", 1 << 30))
zero = bytes(1 << 20)
for _ in range(1024):
    out.write(zero)
out.write(header("note", len(note)) + note + bytes(512 - len(note)))
out.write(bytes(1024))
PY
}
big_tar "$SCRATCH/a.tar.zst" one
big_tar "$SCRATCH/b.tar.zst" two
[ "$(stat -c %s "$SCRATCH/a.tar.zst")" -lt 200000 ] || fail "the crafted archive is not small"
set +e
/usr/bin/time -f %M -o "$SCRATCH/rss" "$CLEANROOM" diff "$SCRATCH/a.tar.zst" "$SCRATCH/b.tar.zst" \
  > "$SCRATCH/diff.out" 2>&1
rc=$?
set -e
assert_eq 1 "$rc" "two bombs differing in a small member compare as different"
assert_contains "$(cat "$SCRATCH/diff.out")" "note: text content differs" "the small member is diffed"
rss=$(tail -n1 "$SCRATCH/rss")
[ "$rss" -lt 300000 ] || fail "peak RSS ${rss} KiB comparing a 1 GiB member (wanted < 300 MB)"
pass "peak RSS ${rss} KiB for a 1 GiB member on each side"

capture "$CLEANROOM" diff --max-decompressed 100M "$SCRATCH/a.tar.zst" "$SCRATCH/b.tar.zst"
assert_eq 3 "$rc" "the decompression budget spent is exit 3, not 'different'"
assert_contains "$out" "--max-decompressed" "the error names the option that raises it"

# --- 1. A zip whose entries overlap (one deflate stream, many names) --------
python3 - "$SCRATCH/bomb.zip" "$SCRATCH/plain.zip" <<'PY'
import struct, sys, zlib, zipfile
# Each file's data is a stored deflate block quoting the next file's local
# header, then that file's data: all forty end in one shared 8 MiB kernel.
size = 8 << 20
comp = zlib.compressobj(9, zlib.DEFLATED, -15)
kernel = comp.compress(bytes(size)) + comp.flush()
names = [b"f%02d" % i for i in range(40)]
def local(name, crc, csize, usize):
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x21, crc, csize, usize,
                       len(name), 0) + name
n = len(names)
heads, datas, crcs, usizes = [None] * n, [None] * n, [0] * n, [0] * n
data, prefix = kernel, b""  # prefix: the headers file i inflates to before the zeros
for i in reversed(range(n)):
    crcs[i] = zlib.crc32(bytes(size), zlib.crc32(prefix))
    usizes[i] = len(prefix) + size
    datas[i] = data
    heads[i] = local(names[i], crcs[i], len(data), usizes[i])
    data = b"\x00" + struct.pack("<HH", len(heads[i]), len(heads[i]) ^ 0xffff) + heads[i] + data
    prefix = heads[i] + prefix
blob = heads[0] + datas[0]
central, pos = b"", 0
for i in range(n):
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0x21, crcs[i],
                           len(datas[i]), usizes[i], len(names[i]), 0, 0, 0, 0, 0, pos) + names[i]
    pos += len(heads[i]) + 5
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n, n, len(central), len(blob), 0)
open(sys.argv[1], "wb").write(blob + central + end)
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("f00", b"plain")
PY
[ "$(stat -c %s "$SCRATCH/bomb.zip")" -lt 100000 ] || fail "the crafted zip is not small"
capture "$CLEANROOM" diff "$SCRATCH/bomb.zip" "$SCRATCH/plain.zip"
assert_eq 2 "$rc" "a zip whose entries overlap is refused as input, not compared"
assert_contains "$out" "overlap" "the error says the entries overlap"

# --- 2. snapshot import stops at its unpack budget --------------------------
python3 - <<'PY' | zstd -q -1 -o "$SCRATCH/fill.tar.zst"
import sys, tarfile
info = tarfile.TarInfo("fill")
info.size = 300 << 20
out = sys.stdout.buffer
out.write(info.tobuf(tarfile.GNU_FORMAT))
zero = bytes(1 << 20)
for _ in range(300):
    out.write(zero)
out.write(bytes(1024))
PY
capture "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/fill.tar.zst" --name fill
assert_eq 3 "$rc" "an archive 10000 times its size unpacked is stopped by the default budget"
assert_contains "$out" "--max-unpacked" "the error names the option that raises it"
capture "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/fill.tar.zst" --name fill \
  --max-unpacked 100M
assert_eq 3 "$rc" "--max-unpacked sets the budget"
assert_contains "$out" "104857600 bytes" "to the size given"

# --- 3. An imported tree's facts come from beneath it -----------------------
python3 - "$SCRATCH/links.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name, target in (("usr", "/"), ("etc", "/etc"), ("var/lib/dpkg", "/var/lib/dpkg")):
        if "/" in name:
            for parent in ("var", "var/lib"):
                d = tarfile.TarInfo(parent)
                d.type = tarfile.DIRTYPE
                d.mode = 0o755
                if parent not in t.getnames():
                    t.addfile(d)
        info = tarfile.TarInfo(name)
        info.type = tarfile.SYMTYPE
        info.linkname = target
        t.addfile(info)
PY
capture_stdout "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/links.tar" --name links --json
assert_eq 0 "$rc" "a tree of links out imports"
suite=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("suite",""))')
arch=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("arch",""))')
assert_eq "" "$suite" "the host's suite is not read through usr -> / or etc -> /etc"
assert_eq "" "$arch" "the host's architecture is not read through var/lib/dpkg -> /var/lib/dpkg"

python3 - "$SCRATCH/suite.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for d in ("usr", "usr/lib"):
        info = tarfile.TarInfo(d)
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        t.addfile(info)
    data = b"VERSION_CODENAME=../../evil main\n"
    info = tarfile.TarInfo("usr/lib/os-release")
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))
PY
capture "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/suite.tar" --name suite
assert_eq 2 "$rc" "a codename outside Debian's charset is refused"
assert_contains "$out" "VERSION_CODENAME" "the error says where the name came from"
assert_contains "$out" "--suite" "and how to give one"
capture "$CLEANROOM" --store "$store" snapshot import "$SCRATCH/links.tar" --name s2 --suite 'a b'
assert_eq 2 "$rc" "a --suite outside Debian's charset is refused"

# --- 4. diff escapes what a terminal would act on ---------------------------
python3 - "$SCRATCH/esc-a.tar" "$SCRATCH/esc-b.tar" <<'PY'
import io, sys, tarfile
texts = (b"line\n\x1b]0;title\x07one\n", b"line\n\x1b[31mtwo\xc2\x9b\n")
for n, (path, text) in enumerate(zip(sys.argv[1:], texts)):
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as t:
        # A name holding ESC [ 2 J (clear screen) and a C1 CSI; B also one
        # that is not UTF-8 at all.
        for name, data in [("clear\x1b[2J\x9bname", text)] + [("bad\udcffname", b"x")] * n:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
PY
capture_stdout "$CLEANROOM" diff "$SCRATCH/esc-a.tar" "$SCRATCH/esc-b.tar"
assert_eq 1 "$rc" "the escape-laden tars differ"
esc=$(printf '\033')
case "$out" in *"$esc"*) fail "diff printed a raw ESC" ;; esac
pass "no raw ESC in the output"
if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
  fail "diff printed a raw control character"
fi
pass "no raw control character in the output"
assert_contains "$out" 'clear\x1b[2J' "the member name is shown escaped"
assert_contains "$out" '+\x1b[31mtwo\u009b' "the text content is shown escaped"
assert_contains "$out" 'bad\xffname: only in B' "a name that is not UTF-8 is shown with \\x"

# --- 5. audit takes no path and no alias from a .buildinfo ------------------
mkdir -p "$SCRATCH/audit"
printf 'deb' > "$SCRATCH/audit/hello_1.0_amd64.deb"
buildinfo() { # source snapshot-line
  sum=$(sha256sum "$SCRATCH/audit/hello_1.0_amd64.deb" | cut -d' ' -f1)
  printf 'Format: 1.0\nSource: %s\nBinary: hello\nArchitecture: amd64\nVersion: 1.0\n' "$1"
  printf 'Checksums-Sha256:\n %s 3 hello_1.0_amd64.deb\n' "$sum"
  printf 'Build-Architecture: amd64\nBuild-Path: /build/hello-1.0\n%s' "$2"
}
# What a crafted Source would reach: a .dsc one level up.
printf 'x' > "$SCRATCH/evil_1.0.dsc"
buildinfo "../evil" "" > "$SCRATCH/audit/hello.buildinfo"
capture "$CLEANROOM" --store "$store" audit "$SCRATCH/audit/hello_1.0_amd64.deb" \
  --buildinfo "$SCRATCH/audit/hello.buildinfo"
assert_eq 2 "$rc" "a Source with '/' or '..' is refused"
assert_contains "$out" "is not a Debian source package name" "the error says why"
assert_contains "$out" "--source" "and names the fix"

buildinfo hello "X-Cleanroom-Snapshot: bookworm
" > "$SCRATCH/audit/hello.buildinfo"
printf 'x' > "$SCRATCH/audit/hello_1.0.dsc"
capture "$CLEANROOM" --store "$store" audit "$SCRATCH/audit/hello_1.0_amd64.deb" \
  --buildinfo "$SCRATCH/audit/hello.buildinfo"
assert_eq 2 "$rc" "an alias in X-Cleanroom-Snapshot is refused"
assert_contains "$out" "not a full snapshot id" "the error says a full id is needed"
assert_contains "$out" "cleanroom snapshot list" "and where to find it"
