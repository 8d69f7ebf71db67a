"""A buildbot master and N workers on 127.0.0.1, for the integration test and
the benchmark: everything lives in one directory, ports are picked free, and
`stop` ends every process it started (used from a trap, so it is safe to call
twice or after a failed start).

The master is scripts/buildbot/master.cfg, as docs/ci.md shows it, with its
cleanroom-master.json written here. Build results are read from the master's
sqlite database (buildbot 3.7's schema), which needs no web UI.
"""
import argparse
import bz2
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scripts/buildbot
SUCCESS, WARNINGS, FAILURE, SKIPPED, EXCEPTION, RETRY, CANCELLED = range(7)


class ClusterError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(d):
    with open(os.path.join(d, "cluster.json"), encoding="utf-8") as f:
        return json.load(f)


def _run(argv, **kw):
    r = subprocess.run(argv, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise ClusterError(f"{' '.join(argv)} exited {r.returncode}: {(r.stdout + r.stderr).strip()[-2000:]}")
    return r.stdout


def _pid(basedir):
    try:
        with open(os.path.join(basedir, "twistd.pid"), encoding="utf-8") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def _tree(root):
    """root and every descendant, found through /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _kill_tree(basedir):
    pid = _pid(basedir)
    if pid is None:
        return False
    for p in _tree(pid):
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.unlink(os.path.join(basedir, "twistd.pid"))
    except OSError:
        pass
    return True


def _db(d):
    path = os.path.join(d, "master", "state.sqlite")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    db.row_factory = sqlite3.Row
    return db


def _query(d, sql, args=()):
    for _ in range(50):
        try:
            with _db(d) as db:
                return db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:  # locked, or not created yet
            last = e
            time.sleep(0.2)
    raise ClusterError(f"the master's database: {last}")


def start(args):
    d = os.path.abspath(args.dir)
    os.makedirs(d, exist_ok=True)
    workers = {f"worker{i + 1}": secrets.token_hex(8) for i in range(args.workers)}
    s = {"dir": d, "pb_port": free_port(), "workers": workers, "change_password": secrets.token_hex(8),
         "branch": args.branch}
    with open(os.path.join(d, "cluster.json"), "w", encoding="utf-8") as f:
        json.dump(s, f)
    master = os.path.join(d, "master")
    _run(["buildbot", "create-master", "--relocatable", master])
    shutil.copy(os.path.join(HERE, "master.cfg"), os.path.join(master, "master.cfg"))
    shutil.copy(args.plan, os.path.join(master, "plan.json"))
    env = dict(kv.split("=", 1) for kv in args.env)
    with open(os.path.join(master, "cleanroom-master.json"), "w", encoding="utf-8") as f:
        json.dump({"pb_port": s["pb_port"], "workers": workers, "change_password": s["change_password"],
                   "branch": args.branch, "repository": args.repository, "plan": "plan.json",
                   "plan_command": args.plan_command, "store": os.path.abspath(args.store),
                   "cleanroom_buildbot": HERE, "artifacts": os.path.join(HERE, "cleanroom-artifacts"),
                   "cleanroom": args.cleanroom, "env": env,
                   "share_snapshots": args.share_snapshots}, f, indent=2)
    _run(["buildbot", "checkconfig", master])
    _run(["buildbot", "start", master])
    for name, password in workers.items():
        wdir = os.path.join(d, name)
        _run(["buildbot-worker", "create-worker", "--relocatable", wdir, f"127.0.0.1:{s['pb_port']}", name, password])
        _run(["buildbot-worker", "start", wdir])
    wait_connected(d, len(workers), args.timeout)
    print(f"master on 127.0.0.1:{s['pb_port']}, workers {', '.join(workers)}")


def wait_connected(d, count, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(_query(d, "SELECT workerid FROM connected_workers")) >= count:
            return
        time.sleep(0.5)
    raise ClusterError(f"fewer than {count} workers connected within {timeout}s")


def release(args):
    d = os.path.abspath(args.dir)
    s = _settings(d)
    before = _query(d, "SELECT COALESCE(MAX(b.id), 0) AS m FROM builds b JOIN builders r ON r.id = b.builderid "
                       "WHERE r.name = 'release'")[0]["m"]
    _run(["buildbot", "sendchange", "--master", f"127.0.0.1:{s['pb_port']}",
          "--auth", f"change:{s['change_password']}", "--who", "local-cluster", "--branch", s["branch"],
          "--repository", args.repository, "--revision", args.revision, "--vc", "git", "release"])
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        # A release build whose worker was lost ends as RETRY and buildbot
        # runs it again: the answer is the last one.
        rows = _query(d, "SELECT b.id, b.results, b.complete_at FROM builds b JOIN builders r ON r.id = b.builderid "
                         "WHERE r.name = 'release' AND b.id > ? ORDER BY b.id DESC LIMIT 1", (before,))
        if rows and rows[0]["complete_at"] is not None and rows[0]["results"] != RETRY:
            summary = summarize(d, rows[0]["id"])
            summary["retried"] = len(_query(d, "SELECT b.id FROM builds b JOIN builders r ON r.id = b.builderid "
                                               "WHERE r.name = 'release' AND b.id > ? AND b.results = ?",
                                            (before, RETRY)))
            json.dump(summary, sys.stdout, indent=2)
            print()
            return 0 if summary["result"] in (SUCCESS, WARNINGS) else 1
        time.sleep(0.5)
    raise ClusterError(f"the release build did not finish within {args.timeout}s")


def summarize(d, release_id):
    """The release build and every node build it triggered (retries included):
    on which worker, with what result, and whether its build/verify step ran."""
    top = _query(d, "SELECT results, started_at, complete_at FROM builds WHERE id = ?", (release_id,))[0]
    rows = _query(d, """
        SELECT b.id, r.name AS node, w.name AS worker, b.results, b.started_at, b.complete_at
        FROM buildsets s JOIN buildrequests q ON q.buildsetid = s.id
        JOIN builds b ON b.buildrequestid = q.id JOIN builders r ON r.id = b.builderid
        JOIN workers w ON w.id = b.workerid
        WHERE s.parent_buildid = ? ORDER BY b.id""", (release_id,))
    nodes = []
    for row in rows:
        ran = _query(d, "SELECT results FROM steps WHERE buildid = ? AND name IN ('build', 'verify')", (row["id"],))
        nodes.append({"node": row["node"], "worker": row["worker"], "result": row["results"],
                      "built": bool(ran) and ran[0]["results"] not in (SKIPPED, None),
                      "seconds": (row["complete_at"] or 0) - row["started_at"]})
    return {"result": top["results"], "seconds": top["complete_at"] - top["started_at"], "nodes": nodes,
            "failed_steps": failed_steps(d, [release_id] + [r["id"] for r in rows])}


def failed_steps(d, build_ids):
    """The end of the output of every failed step of these builds, so that a
    failing test says why without a web UI."""
    out = []
    for build_id in build_ids:
        for step in _query(d, "SELECT id, name FROM steps WHERE buildid = ? AND results = ?", (build_id, FAILURE)):
            text = ""
            for log in _query(d, "SELECT id FROM logs WHERE stepid = ?", (step["id"],)):
                for chunk in _query(d, "SELECT content, compressed FROM logchunks WHERE logid = ? "
                                       "ORDER BY first_line", (log["id"],)):
                    data = chunk["content"]
                    if chunk["compressed"] == 1:
                        data = zlib.decompress(data)
                    elif chunk["compressed"] == 2:
                        data = bz2.decompress(data)
                    text += data.decode(errors="replace") if isinstance(data, bytes) else data
            # Each line starts with its stream: o(ut), e(rr), h(eader).
            out.append({"build": build_id, "step": step["name"], "tail": [l[1:] for l in text.splitlines()[-15:]]})
    return out


def wait_step(args):
    """Waits until a build of `node` runs its build/verify step; prints the worker."""
    d = os.path.abspath(args.dir)
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        rows = _query(d, """
            SELECT w.name AS worker FROM steps st JOIN builds b ON b.id = st.buildid
            JOIN builders r ON r.id = b.builderid JOIN workers w ON w.id = b.workerid
            WHERE r.name = ? AND st.name IN ('build', 'verify') AND st.started_at IS NOT NULL
            AND st.complete_at IS NULL""", (args.node,))
        if rows:
            print(rows[0]["worker"])
            return 0
        time.sleep(0.1)
    raise ClusterError(f"no build of {args.node} reached its build step within {args.timeout}s")


def kill_worker(args):
    d = os.path.abspath(args.dir)
    if not _kill_tree(os.path.join(d, args.name)):
        raise ClusterError(f"worker {args.name} is not running")
    print(f"killed {args.name} and its builds")


def start_worker(args):
    d = os.path.abspath(args.dir)
    _run(["buildbot-worker", "start", os.path.join(d, args.name)])


def stop(args):
    d = os.path.abspath(args.dir)
    if not os.path.exists(os.path.join(d, "cluster.json")):
        return 0
    s = _settings(d)
    for basedir, tool in [(os.path.join(d, n), "buildbot-worker") for n in s["workers"]] + \
                         [(os.path.join(d, "master"), "buildbot")]:
        if _pid(basedir) is None:
            continue
        try:
            subprocess.run([tool, "stop", basedir], capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            pass
        _kill_tree(basedir)  # what did not stop in time, and anything it left
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="local-cluster", description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True, help="where the master and workers live")
    sub = p.add_subparsers(dest="verb", required=True)
    s = sub.add_parser("start")
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--plan", required=True, help="the plan the master is configured from")
    s.add_argument("--plan-command", type=shlex.split, required=True, help="as one shell word list")
    s.add_argument("--repository", required=True)
    s.add_argument("--store", required=True)
    s.add_argument("--cleanroom", default="cleanroom")
    s.add_argument("--env", action="append", default=[], help="KEY=VALUE for every step")
    s.add_argument("--branch", default="main")
    s.add_argument("--share-snapshots", action="store_true")
    s.add_argument("--timeout", type=float, default=60)
    s.set_defaults(run=start)
    s = sub.add_parser("release")
    s.add_argument("--repository", required=True)
    s.add_argument("--revision", required=True)
    s.add_argument("--timeout", type=float, default=600)
    s.set_defaults(run=release)
    s = sub.add_parser("wait-step")
    s.add_argument("--node", required=True)
    s.add_argument("--timeout", type=float, default=300)
    s.set_defaults(run=wait_step)
    for verb, run in (("kill-worker", kill_worker), ("start-worker", start_worker)):
        s = sub.add_parser(verb)
        s.add_argument("--name", required=True)
        s.set_defaults(run=run)
    sub.add_parser("stop").set_defaults(run=stop)
    args = p.parse_args(argv)
    try:
        return args.run(args) or 0
    except ClusterError as e:
        print(f"local-cluster: {e}", file=sys.stderr)
        return 1
