#!/bin/sh
# Fixture: a real bookworm snapshot from the mirror, made once per store.
set -eu
: "${CLEANROOM:?run through ctest}"
export CLEANROOM_STORE="$CLEANROOM_TEST_STORE"
if "$CLEANROOM" snapshot list 2>/dev/null | awk '{print $1}' | grep -qx bookworm; then
  echo "bookworm snapshot already in $CLEANROOM_STORE"
  exit 0
fi
exec "$CLEANROOM" snapshot create bookworm --name bookworm --include python3,python3-venv
