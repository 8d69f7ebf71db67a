"""`cleanroom-artifacts`: what a worker does around a plan node's command.

Each buildbot step of a node is one of these verbs, so the steps are plain
shell commands that can be run (and tested) without buildbot:
    put-plan PLAN            store a plan by its sha256, print the sha256
    get-plan SHA256 FILE     write the stored plan, checked against its sha256
    check-shape --expect D   fail unless the plan has the nodes the master was configured with
    has --node ID            print "stored" or "missing" (never rebuild what is stored)
    snapshot --node ID       make sure this worker's cleanroom holds the node's snapshot
    share-snapshots          export the plan's snapshots into the store, once each
    fetch --node ID          the outputs of the nodes ID depends on, into out_dir
    fetch --all              every node's outputs (what a release collects)
    exec --node ID           run the node's command here, in the checkout
    publish --node ID        the node's outputs into the store, atomically
Exit status: 0 done, 1 the store or a command failed, 2 a bad plan or usage,
3 the store or a tool is not there.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from . import plan as plans
from .store import DirectoryStore, StoreError


def _out_dir(plan):
    return plan["out_dir"] if os.path.isabs(plan["out_dir"]) else os.path.join(os.getcwd(), plan["out_dir"])


def _snapshot(node):
    return node["snapshot"]["name"], node["snapshot"]["id"]  # checked by plans.parse


def _held_ids(cleanroom):
    out = subprocess.run([cleanroom, "snapshot", "list", "--json"], check=True, capture_output=True, text=True)
    return {s["id"] for s in json.loads(out.stdout)}


def cmd_put_plan(args, store):
    text = open(args.file, encoding="utf-8").read()
    plans.parse(text, args.file)
    print(store.put_plan(text))


def cmd_get_plan(args, store):
    text = store.get_plan(args.sha256)
    plans.parse(text, f"plan {args.sha256[:12]}")
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(os.path.abspath(args.file)), delete=False) as f:
        f.write(text)
    os.rename(f.name, args.file)


def cmd_check_shape(args, store, plan):
    # The master's builders were made from one plan's nodes; a plan with other
    # nodes would trigger builders that do not exist, or miss new ones.
    if plans.shape_digest(plan) != args.expect:
        raise plans.PlanError("the plan's nodes or edges differ from those the master was configured with: "
                              "reconfigure the master from this plan (buildbot reconfig)")
    print("the plan has the nodes the master was configured with")


def cmd_has(args, store, plan):
    print("stored" if store.has(plans.node(plan, args.node)) else "missing")


def cmd_fetch(args, store, plan):
    if args.all:
        wanted = [n for n in plan["nodes"] if n["outputs"]]
    else:
        node = plans.node(plan, args.node)
        wanted = [plans.node(plan, d) for d in node["depends_on"]]
    for dep in wanted:
        store.fetch(dep, _out_dir(plan))
        print(f"fetched {dep['id']} ({dep['input_hash'][:12]}): {', '.join(dep['outputs']) or 'no outputs'}")


def cmd_publish(args, store, plan):
    node = plans.node(plan, args.node)
    fresh = store.publish(node, _out_dir(plan))
    print(f"{'published' if fresh else 'already stored'}: {node['id']} as {node['input_hash']}")


def cmd_exec(args, store, plan):
    command = plans.node(plan, args.node)["command"]
    print("+ " + " ".join(command), flush=True)
    os.execvp(command[0], command)


def cmd_snapshot(args, store, plan):
    name, snap_id = _snapshot(plans.node(plan, args.node))
    if not snap_id:
        print(f"snapshot '{name}' has no id in the plan: the worker's own is used")
        return 0
    if snap_id in _held_ids(args.cleanroom):
        print(f"snapshot {name} ({snap_id[:12]}) is here")
        return 0
    archive = store.snapshot_archive(snap_id)
    if not os.path.isfile(archive):
        raise StoreError(f"this worker lacks snapshot {name} ({snap_id[:12]}) and the store has no "
                         f"'{archive}' (run share-snapshots where the plan was made)")
    out = subprocess.run([args.cleanroom, "snapshot", "import", archive, "--name", name, "--json"],
                         check=True, capture_output=True, text=True)
    got = json.loads(out.stdout).get("id")
    if got != snap_id:
        raise StoreError(f"'{archive}' imported as snapshot {got}, the plan needs {snap_id}: the store is damaged")
    print(f"snapshot {name} ({snap_id[:12]}) imported from the store")
    return 0


def cmd_share_snapshots(args, store, plan):
    seen = set()
    for node in plan["nodes"]:
        name, snap_id = _snapshot(node)
        if not snap_id or snap_id in seen:
            continue
        seen.add(snap_id)
        fresh = store.put_snapshot(snap_id, lambda path: subprocess.run(
            [args.cleanroom, "snapshot", "export", snap_id, path], check=True, stdout=subprocess.DEVNULL))
        print(f"snapshot {name} ({snap_id[:12]}) {'exported into' if fresh else 'already in'} the store")


def parser():
    p = argparse.ArgumentParser(prog="cleanroom-artifacts", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.split("\n")[2:]))
    p.add_argument("--store", required=True, help="the artifact store directory")
    sub = p.add_subparsers(dest="verb", required=True)
    s = sub.add_parser("put-plan")
    s.add_argument("file")
    s.set_defaults(run=cmd_put_plan, needs_plan=False)
    s = sub.add_parser("get-plan")
    s.add_argument("sha256")
    s.add_argument("file")
    s.set_defaults(run=cmd_get_plan, needs_plan=False)
    for verb, run in (("check-shape", cmd_check_shape), ("has", cmd_has), ("fetch", cmd_fetch), ("publish", cmd_publish), ("exec", cmd_exec),
                      ("snapshot", cmd_snapshot), ("share-snapshots", cmd_share_snapshots)):
        s = sub.add_parser(verb)
        s.add_argument("--plan", default="plan.json", help="the plan file (default: plan.json)")
        if verb == "fetch":
            g = s.add_mutually_exclusive_group(required=True)
            g.add_argument("--node")
            g.add_argument("--all", action="store_true")
        elif verb == "check-shape":
            s.add_argument("--expect", required=True, help="the digest of the configured plan's shape")
        elif verb != "share-snapshots":
            s.add_argument("--node", required=True)
        if verb in ("snapshot", "share-snapshots"):
            s.add_argument("--cleanroom", default="cleanroom", help="the cleanroom program (default: cleanroom)")
        s.set_defaults(run=run, needs_plan=True)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        plan = plans.load(args.plan) if args.needs_plan else None
        # Only writers create the store: a reader given a mistyped path must
        # fail, not find an empty store and rebuild everything.
        store = None if args.verb in ("check-shape", "exec") else \
            DirectoryStore(args.store, create=args.verb in ("put-plan", "publish", "share-snapshots"))
        return (args.run(args, store, plan) if args.needs_plan else args.run(args, store)) or 0
    except plans.PlanError as e:
        print(f"cleanroom-artifacts: {e}", file=sys.stderr)
        return 2
    except StoreError as e:
        print(f"cleanroom-artifacts: {e}", file=sys.stderr)
        return 3 if "not an artifact store" in str(e) else 1
    except subprocess.CalledProcessError as e:
        detail = (e.stderr or "").strip().splitlines()
        print(f"cleanroom-artifacts: {' '.join(e.cmd)} exited {e.returncode}"
              f"{': ' + detail[-1] if detail else ''}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"cleanroom-artifacts: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return 3
