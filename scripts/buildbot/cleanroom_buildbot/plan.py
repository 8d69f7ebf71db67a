"""A `cleanroom plan --json` document, checked before anything acts on it.

buildbot builders, the artifact store and the worker-side tool all read the
plan; they read it through here so that a plan of another format version, a
node naming a dependency that is not in the plan, or a cycle is refused with
one clear line instead of a traceback in the middle of a release.
"""
import hashlib
import json
import re

PLAN_VERSION = 3
_ID = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
# An output is a file name written into out_dir, never a path.
_OUTPUT = re.compile(r"^[A-Za-z0-9+._~:-]+$")


class PlanError(Exception):
    """The plan cannot be used; the message says why, in one line."""


def _check_node(node, where):
    if not isinstance(node, dict):
        raise PlanError(f"{where}: a node is not an object")
    for key, kind in (("id", str), ("kind", str), ("input_hash", str), ("command", list),
                      ("outputs", list), ("depends_on", list)):
        if not isinstance(node.get(key), kind):
            raise PlanError(f"{where}: node {node.get('id', '?')!r} has no {key} of type {kind.__name__}")
    if not _ID.match(node["id"]):
        raise PlanError(f"{where}: node id {node['id']!r} is not a package name")
    if not _HASH.match(node["input_hash"]):
        raise PlanError(f"{where}: node {node['id']!r} has an input_hash that is not 64 hex digits")
    if node["kind"] not in ("wheelhouse", "venv", "verify"):
        raise PlanError(f"{where}: node {node['id']!r} is of unknown kind {node['kind']!r}")
    command = node["command"]
    if len(command) < 3 or command[0] != "cleanroom" or not all(isinstance(a, str) for a in command):
        raise PlanError(f"{where}: node {node['id']!r} has a command that does not start with cleanroom")
    snap = node.get("snapshot")
    if (not isinstance(snap, dict) or not isinstance(snap.get("name"), str) or not isinstance(snap.get("id"), str)
            or not (snap["id"] == "" or _HASH.match(snap["id"]))):
        raise PlanError(f"{where}: node {node['id']!r} names no snapshot, or one whose id is not 64 hex digits")
    for name in node["outputs"]:
        if not isinstance(name, str) or not _OUTPUT.match(name) or name in (".", ".."):
            raise PlanError(f"{where}: node {node['id']!r} names output {name!r}, which is not a file name")


def parse(text, where="plan"):
    """The plan in `text`, validated; raises PlanError."""
    try:
        plan = json.loads(text)
    except ValueError as e:
        raise PlanError(f"{where}: not JSON ({e})") from None
    if not isinstance(plan, dict):
        raise PlanError(f"{where}: not a JSON object")
    if plan.get("format_version") != PLAN_VERSION:
        raise PlanError(f"{where}: plan format {plan.get('format_version')!r}, this reads {PLAN_VERSION} "
                        "(make it with the same cleanroom the workers run)")
    if not isinstance(plan.get("nodes"), list) or not isinstance(plan.get("out_dir"), str):
        raise PlanError(f"{where}: no nodes list or out_dir")
    ids = set()
    for node in plan["nodes"]:
        _check_node(node, where)
        if node["id"] in ids:
            raise PlanError(f"{where}: node {node['id']!r} appears twice")
        ids.add(node["id"])
    for node in plan["nodes"]:
        for dep in node["depends_on"]:
            if dep not in ids:
                raise PlanError(f"{where}: node {node['id']!r} depends on {dep!r}, which is not in the plan")
    waves(plan)  # refuses a cycle
    return plan


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise PlanError(f"{path}: {e.strerror}") from None
    return parse(text, path)


def node(plan, node_id):
    for n in plan["nodes"]:
        if n["id"] == node_id:
            return n
    raise PlanError(f"the plan has no node {node_id!r} (was the master configured from another plan?)")


def waves(plan):
    """Node ids in topological levels: every node of a wave depends only on
    nodes of earlier waves, so the nodes of one wave may all run at once."""
    level = {}
    remaining = {n["id"]: n["depends_on"] for n in plan["nodes"]}
    while remaining:
        ready = [i for i, deps in remaining.items() if all(d in level for d in deps)]
        if not ready:
            raise PlanError(f"nodes depend on each other in a cycle ({sorted(remaining)[0]})")
        for i in ready:
            level[i] = 1 + max((level[d] for d in remaining[i]), default=-1)
            del remaining[i]
    out = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for n in plan["nodes"]:  # plan order within a wave
        out[level[n["id"]]].append(n["id"])
    return out


def shape(plan):
    """What the buildbot configuration is made from: the nodes and their
    dependencies, without the input hashes, which change with every commit."""
    return [[n["id"], n["kind"], sorted(n["depends_on"])] for n in plan["nodes"]]


def shape_digest(plan):
    return hashlib.sha256(json.dumps(shape(plan)).encode()).hexdigest()
