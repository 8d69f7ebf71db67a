# Sourced by every integration test. Gives each test its own scratch directory
# and small assertion helpers that print what was expected and what came.
set -eu

: "${CLEANROOM:?run through ctest}"
: "${CLEANROOM_TEST_STORE:?run through ctest}"
export CLEANROOM_STORE="$CLEANROOM_TEST_STORE"
# The host's Python and pip settings must never matter to a test.
export PIP_FIND_LINKS=/nonexistent PYTHONPATH=/nonexistent

TEST_NAME=$(basename "$0" .sh)
mkdir -p "$CLEANROOM_TEST_SCRATCH"
SCRATCH=$(mktemp -d "$CLEANROOM_TEST_SCRATCH/$TEST_NAME.XXXXXX")
cleanup_scratch() { rm -rf "$SCRATCH"; }
trap cleanup_scratch EXIT

fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

assert_eq() { # expected actual what
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
  pass "$3"
}

assert_contains() { # haystack needle what
  case "$1" in *"$2"*) pass "$3" ;; *) fail "$3: '$2' not in: $1" ;; esac
}

# Ends the test as skipped, for what the host lacks (never for what cleanroom
# lacks): prints why and exits 77, which ctest reports as "Skipped"
# (SKIP_RETURN_CODE in CMakeLists.txt) and scripts/test lists with the reason.
skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }

# Host requirements: each skips the test, with the reason, when it is not met.
require_root() { # why
  [ "$(id -u)" = 0 ] || skip "needs root: $1"
}
# An unprivileged USER may create a user namespace (some kernels forbid it:
# kernel.unprivileged_userns_clone=0, AppArmor's restriction).
require_user_namespaces() { # user
  runuser -u "$1" -- unshare --user --map-root-user true 2>/dev/null ||
    skip "unprivileged user namespaces are disabled on this kernel (unshare as $1 failed)"
}
# A normal user for the rootless tests, made once: "with-range" gives it a
# subordinate range of 65536 ids (what useradd gives by default), "no-range"
# takes any away. Its cleanroom runs through as_user, with its own store and
# home under $SCRATCH/NAME (which it owns) and the hostile PIP_*/PYTHON*
# settings still exported.
test_user() { # name with-range|no-range
  # Each test has its own user; useradd and usermod lock the files they change.
  id "$1" >/dev/null 2>&1 ||
    useradd --create-home --shell /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$1"
  for kind in uid gid; do
    if [ "$2" = with-range ]; then
      grep -q "^$1:" "/etc/sub$kind" && continue
      start=$(cat /etc/subuid /etc/subgid 2>/dev/null |
        awk -F: 'BEGIN {m = 100000} $2 + $3 > m {m = $2 + $3} END {print m}')
      usermod "--add-sub${kind}s" "$start-$((start + 65535))" "$1"
    else
      grep "^$1:" "/etc/sub$kind" | while IFS=: read -r _ start count; do
        usermod "--del-sub${kind}s" "$start-$((start + count - 1))" "$1"
      done
    fi
  done
  chmod 0755 "$SCRATCH" "$CLEANROOM_TEST_SCRATCH"
  mkdir -p "$SCRATCH/$1"
  chown "$1:" "$SCRATCH/$1"
}
as_user() { # name cleanroom-args...
  u=$1
  shift
  runuser -u "$u" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$SCRATCH/$u" \
    CLEANROOM_STORE="$SCRATCH/$u/store" PIP_FIND_LINKS=/nonexistent PYTHONPATH=/nonexistent \
    ${SOURCE_DATE_EPOCH:+SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH} "$CLEANROOM" "$@"
}
# 32-bit x86 programs, as arch-test answers (a 64-bit kernel without
# CONFIG_IA32_EMULATION, or booted with ia32_emulation=0, runs none).
# CLEANROOM_TEST_NO_IA32=1 makes the suite, unit tests included, behave as if
# the kernel ran none.
require_i386() {
  [ "$(dpkg --print-architecture)" = amd64 ] || skip "not an amd64 machine"
  case "${CLEANROOM_TEST_NO_IA32:-0}" in
    0 | "") ;;
    *) skip "CLEANROOM_TEST_NO_IA32 is set: as if the kernel ran no i386 programs" ;;
  esac
  command -v arch-test >/dev/null || fail "arch-test is not installed (scripts/install-deps installs it)"
  arch-test i386 >/dev/null 2>&1 ||
    skip "this kernel cannot run i386 programs ($(arch-test i386 2>&1 | head -n1))"
}

# Commands expected to fail, or whose status is the point: each runs CMD (a
# program or a shell function) with errexit off, so a non-zero status never
# aborts the test, and sets $rc to its status.
#   run_rc CMD...          only $rc; redirections on the call apply to CMD:
#                            run_rc cr build ... >"$SCRATCH/log" 2>&1
#   capture CMD...         also $out: CMD's stdout and stderr together
#   capture_stdout CMD...  also $out: CMD's stdout only (stderr goes to the log)
# run_rc runs CMD in this shell (so `run_rc wait "$pid"` works); the capture
# ones in a command substitution, like out=$(CMD).
run_rc() { set +e; "$@"; rc=$?; set -e; }
capture() { set +e; out=$("$@" 2>&1); rc=$?; set -e; }
capture_stdout() { set +e; out=$("$@"); rc=$?; set -e; }

# A command's exit status, its output discarded: assert_eq 2 "$(status_of cr build)".
status_of() { run_rc "$@" >/dev/null 2>&1; echo "$rc"; }

cr() { "$CLEANROOM" "$@"; }

# Debian's pool, and a cache of downloads from it shared between runs
# ($CLEANROOM_TEST_CACHE, the build directory's test-cache), so that a run
# only fetches what an earlier one did not.
DEBIAN_POOL=http://deb.debian.org/debian/pool/main
DEBIAN_CACHE=${CLEANROOM_TEST_CACHE:-$CLEANROOM_TEST_SCRATCH/../test-cache}/debian-archive
fetch_pool() { # pool-dir file...: each into $DEBIAN_CACHE once, through a temporary name
  mkdir -p "$DEBIAN_CACHE"
  dir=$1
  shift
  for f in "$@"; do
    [ -s "$DEBIAN_CACHE/$f" ] && continue
    curl -sfL --max-time 300 -o "$DEBIAN_CACHE/$f.part" "$DEBIAN_POOL/$dir/$f" ||
      { rm -f "$DEBIAN_CACHE/$f.part"; return 1; }
    mv "$DEBIAN_CACHE/$f.part" "$DEBIAN_CACHE/$f"
  done
}

# Packs fixture projects of tests/data/python/projects into DIR as
# reproducible sdists (PROJECT.tar.gz).
pack_fixture_sdists() { # dir project...
  _dir=$1; shift
  mkdir -p "$_dir"
  for _p in "$@"; do
    tar -C "$CLEANROOM_SOURCE_DIR/tests/data/python/projects" --sort=name --mtime=@1704067200 \
      --owner=0 --group=0 --numeric-owner -cf - "$_p" | gzip -n > "$_dir/$_p.tar.gz"
  done
}

# A wheelhouse recipe for the hello-cli fixture project: writes its sdist into
# DIR/sources and the recipe into FILE (a wheelhouse named NAME, 1.0-1).
hello_wheelhouse_recipe() { # dir file name
  mkdir -p "$1/sources"
  tar -C "$CLEANROOM_SOURCE_DIR/tests/data/python/projects" --sort=name --mtime=@1704067200 \
    --owner=0 --group=0 --numeric-owner -cf - hello-cli-0.1.0 | gzip -n >"$1/sources/hello-cli-0.1.0.tar.gz"
  cat >"$2" <<TOML
format = 1
kind = "wheelhouse"
name = "$3"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
snapshot = "bookworm"
source_date_epoch = 1704067200
sources = "sources"
requirements = ["hello-cli"]
TOML
}

# A venv recipe of hello-cli (NAME 1.0-1 on SNAPSHOT) into FILE.
hello_venv_recipe() { # file name snapshot
  cat >"$1" <<TOML
format = 1
kind = "venv"
name = "$2"
version = "1.0-1"
maintainer = "Cleanroom Tests <tests@example.org>"
description = "venv of hello-cli"
snapshot = "$3"
source_date_epoch = 1704067200
requirements = ["hello-cli"]
TOML
}

# The tree of a one-package Python project NAME 0.1.0 in DIR, built by
# setuptools; the caller writes DIR/setup.py, which may do anything.
setuptools_project() { # dir name
  mkdir -p "$1/$2"
  cat >"$1/pyproject.toml" <<TOML
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "$2"
version = "0.1.0"
TOML
  : >"$1/$2/__init__.py"
}

# A fork bomb whose children each switch to another uid (so nproc, counted per
# uid, holds none of them): forks up to 150, prints "started N". Run it with
# python3 inside the sandbox: `... -- python3 -c "$FORK_BOMB_ACROSS_UIDS"`.
FORK_BOMB_ACROSS_UIDS='
import os, time
started = 0
for i in range(150):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            os.setuid(2000 + i)
        except OSError:
            os._exit(1)
        time.sleep(30)
        os._exit(0)
    started += 1
print("started", started)
'
