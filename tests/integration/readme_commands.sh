#!/bin/sh
# Every `sh` block of README.md and docs/python.md runs as written, from the
# top of a copy of the checkout with no demo sdists yet, against the test
# store, so the examples cannot rot. A block is left out only after a line
# `<!-- readme-commands: skip (WHY) -->`, which must say why.
. "$CLEANROOM_TEST_LIB"
S="$CLEANROOM_SOURCE_DIR"
C="$SCRATCH/checkout"
mkdir -p "$C/build" "$C/tests/data"
cp -R "$S/recipes" "$S/scripts" "$S/docs" "$S/README.md" "$C/"
cp -R "$S/tests/data/fixtures" "$S/tests/data/python" "$C/tests/data/"
rm -rf "$C/recipes/demo-wheelhouse/sources" "$C/out"
ln -s "$(dirname "$CLEANROOM")" "$C/build/bin"
chmod 0755 "$SCRATCH" "$C"

# Writes each block to run as $SCRATCH/blocks/FILE-N.sh, in order.
mkdir "$SCRATCH/blocks"
/usr/bin/python3 - "$SCRATCH/blocks" "$S/README.md" "$S/docs/python.md" > "$SCRATCH/blocks.txt" <<'PY' ||
import os, re, sys
out, files = sys.argv[1], sys.argv[2:]
for path in files:
    n, prev, block, skipping = 0, "", None, False
    for number, line in enumerate(open(path).read().split("\n"), 1):
        if block is not None or skipping:
            if line.startswith("```"):
                if block is not None:
                    name = f"{os.path.basename(path)}-{n}.sh"
                    open(os.path.join(out, name), "w").write("\n".join(block) + "\n")
                    print(name)
                block, skipping = None, False
            elif block is not None:
                block.append(line)
            continue
        if line.strip() == "```sh":
            n += 1
            marker = prev.strip()
            if marker.startswith("<!-- readme-commands"):
                if not re.fullmatch(r"<!-- readme-commands: skip \((.+)\) -->", marker):
                    sys.exit(f"{path}:{number - 1}: a skip marker says why: <!-- readme-commands: skip (WHY) -->")
                skipping = True
            else:
                block = []
        if line.strip():
            prev = line
PY
  fail "the command blocks could not be read"
grep -q "README.md" "$SCRATCH/blocks.txt" && grep -q "python.md" "$SCRATCH/blocks.txt" ||
  fail "found no command block to run in README.md or docs/python.md: $(cat "$SCRATCH/blocks.txt")"

for block in $(cat "$SCRATCH/blocks.txt"); do
  # sh -x shows the failing command last; each block runs in the checkout's
  # top, with cleanroom on PATH as `cmake --install` or README's export puts it.
  (cd "$C" && PATH="$C/build/bin:$PATH" sh -ex "$SCRATCH/blocks/$block") > "$SCRATCH/$block.log" 2>&1 ||
    fail "a command of $block failed: $(grep '^+ ' "$SCRATCH/$block.log" | tail -n 1)
$(tail -n 15 "$SCRATCH/$block.log")"
  pass "every command of $block runs as written"
done
[ -f "$C/out/repo/dists/bookworm-demo/Release" ] || fail "the README's publish made no repository"
pass "the README's example release ends in a staging repository"
