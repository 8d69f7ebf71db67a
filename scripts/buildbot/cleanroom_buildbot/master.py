"""buildbot configuration for a cleanroom plan: one builder per plan node,
any free worker, a node only after the nodes it depends on.

Why Trigger steps and not a dependency-aware scheduler: buildbot 3.7 has no
scheduler that waits for several upstream builders (Dependent waits for one
upstream buildset), while a "release" build that triggers the plan wave by
wave (topological levels, waitForFinish) is stock buildbot, shows the whole
release as one build with the node builds as its children, and stops at the
first wave with a failure. The price is that a node waits for its whole
previous wave, not only for its own dependencies; in a release (wheelhouses,
then venvs, then verify nodes) the waves are exactly the dependencies.

The master is configured from the plan's shape (node ids, kinds, edges); the
input hashes change with every commit and are read at build time from the
plan the release build makes and stores by its sha256, so a commit that
changes recipes needs no reconfig, and one that adds or removes a recipe is
refused until the master is reconfigured from the new plan.
"""
import shlex

from buildbot.plugins import schedulers, steps, util

from . import plan as plans

PLAN_FILE = "plan.json"


def _not_stored(step):
    return step.getProperty("stored") != "stored"


def _artifacts(tool, store, verb, *args):
    return [tool, "--store", store, verb, *args]


def node_factory(node, checkout, store, artifacts, cleanroom, env):
    f = util.BuildFactory()
    f.addStep(checkout)
    f.addStep(steps.ShellCommand(
        name="get plan", env=env, haltOnFailure=True,
        command=_artifacts(artifacts, store, "get-plan", util.Property("plan_sha256"), PLAN_FILE)))
    f.addStep(steps.SetPropertyFromCommand(
        name="stored?", env=env, haltOnFailure=True, property="stored",
        command=_artifacts(artifacts, store, "has", "--node", node["id"])))
    # A node whose input hash the store holds is not built again: the steps
    # below show as skipped.
    for name, verb, extra in (("snapshot", "snapshot", ["--cleanroom", cleanroom]),
                              ("fetch inputs", "fetch", []),
                              ("verify" if node["kind"] == "verify" else "build", "exec", []),
                              ("publish", "publish", [])):
        f.addStep(steps.ShellCommand(
            name=name, env=env, haltOnFailure=True, doStepIf=_not_stored,
            command=_artifacts(artifacts, store, verb, "--node", node["id"], *extra)))
    return f


def release_factory(plan, plan_command, checkout, store, artifacts, cleanroom, env, share_snapshots, collect):
    f = util.BuildFactory()
    f.addStep(checkout)
    f.addStep(steps.ShellCommand(
        name="plan", env=env, haltOnFailure=True,
        command=" ".join(shlex.quote(a) for a in plan_command) + f" > {PLAN_FILE}"))
    f.addStep(steps.ShellCommand(
        name="same nodes as configured", env=env, haltOnFailure=True,
        command=_artifacts(artifacts, store, "check-shape", "--expect", plans.shape_digest(plan))))
    if share_snapshots:
        f.addStep(steps.ShellCommand(
            name="share snapshots", env=env, haltOnFailure=True,
            command=_artifacts(artifacts, store, "share-snapshots", "--cleanroom", cleanroom)))
    f.addStep(steps.SetPropertyFromCommand(
        name="store plan", env=env, haltOnFailure=True, property="plan_sha256",
        command=_artifacts(artifacts, store, "put-plan", PLAN_FILE)))
    for i, wave in enumerate(plans.waves(plan)):
        f.addStep(steps.Trigger(
            name=f"wave {i + 1} ({len(wave)} nodes)", waitForFinish=True, haltOnFailure=True,
            updateSourceStamp=True, schedulerNames=[scheduler_name(n) for n in wave],
            set_properties={"plan_sha256": util.Property("plan_sha256")}))
    if collect:
        f.addStep(steps.ShellCommand(
            name="collect outputs", env=env, haltOnFailure=True,
            command=_artifacts(artifacts, store, "fetch", "--all")))
    return f


def scheduler_name(node_id):
    return f"cleanroom-{node_id}"


def configure(c, plan, plan_command, workers, checkout, store, artifacts="cleanroom-artifacts",
              cleanroom="cleanroom", env=None, release="release", builds_per_worker=1,
              share_snapshots=True, collect=True, release_workers=None):
    """Adds to the master config dict `c` a builder named `release` and one per
    node of `plan` (a parsed plan: plans.load), with their Triggerable
    schedulers. `plan_command` is the argv that made `plan` (run in the
    checkout at build time, with its output to plan.json); `workers` the
    worker names every builder may use; `checkout` the source step (steps.Git)
    of the release's tree; `store` the artifact store directory as the
    workers see it; `artifacts` and `cleanroom` the programs on the workers.
    At most `builds_per_worker` node builds run on a worker at once (the
    release build itself only waits, and does not count). The release build
    makes the plan, which resolves snapshot names to ids, so it runs on
    `release_workers` (default: all), which must hold the plan's snapshots;
    the others get them from the store."""
    env = dict(env or {})
    lock = util.WorkerLock("cleanroom-node", maxCount=builds_per_worker)
    c.setdefault("builders", [])
    c.setdefault("schedulers", [])
    for node in plan["nodes"]:
        c["builders"].append(util.BuilderConfig(
            name=node["id"], workernames=list(workers), locks=[lock.access("counting")],
            tags=["cleanroom", node["kind"]],
            factory=node_factory(node, checkout, store, artifacts, cleanroom, env)))
        c["schedulers"].append(schedulers.Triggerable(name=scheduler_name(node["id"]),
                                                      builderNames=[node["id"]]))
    c["builders"].append(util.BuilderConfig(
        name=release, workernames=list(release_workers or workers), tags=["cleanroom", "release"],
        factory=release_factory(plan, plan_command, checkout, store, artifacts, cleanroom, env,
                                share_snapshots, collect)))
    return release
