#!/bin/sh
# The dh-virtualenv route: a Debian source package whose debian/rules runs
# dh_virtualenv, built with `cleanroom build DIR --wheelhouse WH.deb`. The
# build step has no network, so pip can only take hello-cli from the mounted
# wheelhouse; the .deb installs in a fresh snapshot and its script runs.
. "$CLEANROOM_TEST_LIB"
PROJECTS="$CLEANROOM_SOURCE_DIR/tests/data/python/projects"
W="$SCRATCH/release"
mkdir -p "$SCRATCH/out"
hello_wheelhouse_recipe "$W" "$W/wheelhouse.toml" wh-dhvenv
cr build "$W/wheelhouse.toml" --out "$SCRATCH/out" -q >/dev/null 2>&1 || fail "wheelhouse build failed"
cp -a "$PROJECTS/dhvenv-greet" "$SCRATCH/dhvenv-greet"
cr build "$SCRATCH/dhvenv-greet" --wheelhouse "$SCRATCH/out/wh-dhvenv_1.0-1_amd64.deb" \
  --out "$SCRATCH/out" --no-run-lintian -q >/dev/null 2>&1 \
  || { cat "$SCRATCH/out/cleanroom-dhvenv-greet_1.0_amd64.build" >&2; fail "dh-virtualenv build failed"; }
pass "dh-virtualenv package built offline"
grep -q 'Processing /cleanroom/wheelhouse/hello_cli-0.1.0-py3-none-any.whl' \
  "$SCRATCH/out/cleanroom-dhvenv-greet_1.0_amd64.build" || fail "pip did not use the wheelhouse"
pass "pip took hello-cli from the mounted wheelhouse"
chmod 0755 "$SCRATCH" "$SCRATCH/out"
got=$(cr run --bind "$SCRATCH/out:/debs:ro" -- sh -c \
  'dpkg -i /debs/cleanroom-dhvenv-greet_1.0_amd64.deb >/dev/null &&
   /opt/venvs/cleanroom-dhvenv-greet/bin/dhvenv-greet')
assert_eq "Hello, dh-virtualenv!" "$got" "the installed venv runs"
