#!/bin/sh
# A runaway or hostile build must not take the host down. Probed from inside
# `cleanroom run`: a fork bomb whose children each switch to another uid (which
# is how a sandbox's root escaped nproc, counted per uid), a process that eats
# memory, and writes to /tmp, /dev/shm and the root, which share one tmpfs
# budget. The defaults are checked too.
. "$CLEANROOM_TEST_LIB"

# Disk: one budget for the writable root, /tmp and /dev/shm together.
out=$(cr run --disk-limit 64M -- sh -c '
  head -c 40M /dev/zero > /tmp/a && echo tmp-ok
  head -c 40M /dev/zero > /dev/shm/b 2>/dev/null && echo shm-ok || echo shm-full
  rm -f /tmp/a /dev/shm/b
  head -c 100M /dev/zero > /root/c 2>/dev/null && echo root-ok || echo root-full')
assert_contains "$out" "tmp-ok" "40M fit in /tmp under a 64M budget"
assert_contains "$out" "shm-full" "/dev/shm draws on the same budget as /tmp"
assert_contains "$out" "root-full" "the writable root draws on the same budget"
assert_contains "$(cr run -- sh -c 'ulimit -n')" "4096" "open files default to 4096 per process"
mode=$(cr run -- stat -c %a /tmp /dev/shm | tr '\n' ' ')
assert_eq "1777 1777 " "$mode" "/tmp and /dev/shm stay sticky and world-writable"

limits=$("$CLEANROOM" doctor 2>&1 | grep ' limits ' || true)
case "$limits" in
  *"memory"*"processes"*) ;;
  *) skip "memory and process-count limits need a cgroup this host does not give: $limits" ;;
esac

# Processes: children switch to 150 different uids, so nproc (per uid) holds
# none of them; the cgroup holds them all.
out=$(cr run --pids-limit 40 -- python3 -c "$FORK_BOMB_ACROSS_UIDS")
n=$(echo "$out" | awk '/^started/ {print $2}')
[ -n "$n" ] && [ "$n" -lt 40 ] || fail "a fork bomb across uids started '$n' processes past --pids-limit 40"
pass "a fork bomb across uids stops at the pids limit ($n started)"

# Memory: the sandbox's processes together, killed by the kernel past it.
status=0
cr run --memory-limit 64M -- python3 -c 'b = bytearray(256 << 20); print("allocated")' \
  > "$SCRATCH/mem.out" 2>&1 || status=$?
assert_eq 137 "$status" "a process past --memory-limit is killed (SIGKILL)"
case "$(cat "$SCRATCH/mem.out")" in *allocated*) fail "256M were allocated under a 64M limit" ;; esac
assert_eq 0 "$(cr run --memory-limit 64M -- python3 -c 'b = bytearray(16 << 20)'; echo $?)" \
  "a process within the limit runs"

# Nothing is left behind in the host's cgroup tree: the sandbox's own cgroup
# (found from the host through a process in it) is gone once it returns.
cr run -- sleep 4242 &
run_pid=$!
i=0
until inner=$(pgrep -x -f 'sleep 4242'); do
  i=$((i + 1)); [ "$i" -lt 100 ] || fail "the sandbox's sleep never started"; sleep 0.1
done
path=$(grep ':pids:' "/proc/$inner/cgroup" | cut -d: -f3)
kill "$inner"
wait "$run_pid" || true
case "$path" in */cleanroom-*) ;; *) fail "the sandbox ran outside a cgroup of its own: '$path'" ;; esac
pass "the sandbox runs in a cgroup of its own ($path)"
[ ! -e "/sys/fs/cgroup/pids$path" ] || fail "the sandbox's cgroup $path is left behind"
pass "the sandbox's cgroup is removed"

# A cleanroom killed with SIGKILL cannot remove its cgroup: the next sandbox
# removes the empty ones of processes that are gone, never a live one's.
parent=/sys/fs/cgroup/pids${path%/*}
dead=$(($(cat /proc/sys/kernel/pid_max) - 7))
kill -0 "$dead" 2>/dev/null && skip "pid $dead is alive: no dead pid to name a stale cgroup by"
mkdir "$parent/cleanroom-$dead-0" "$parent/cleanroom-$$-7"
cr run -- true
[ ! -e "$parent/cleanroom-$dead-0" ] || fail "a dead cleanroom's empty cgroup was left in $parent"
[ -e "$parent/cleanroom-$$-7" ] || fail "a live process's cgroup was removed"
rmdir "$parent/cleanroom-$$-7"
pass "a killed cleanroom's cgroup is removed by the next sandbox; a live one's stays"

# Inside, the cgroup namespace is rooted at that cgroup: the host's cgroup
# paths (cleanroom's own, its parents) do not show.
inside=$(cr run -- cat /proc/self/cgroup)
[ -n "$inside" ] || fail "no /proc/self/cgroup inside"
outside=$(printf '%s\n' "$inside" | grep -v ':/$' || true)
[ -z "$outside" ] || fail "the sandbox sees cgroup paths beyond its own: $outside"
pass "inside, every cgroup is the namespace's root"
