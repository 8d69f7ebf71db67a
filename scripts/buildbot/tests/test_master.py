"""The buildbot configuration made from a plan, checked on buildbot's own
config objects (buildbot 3.7 from Debian: scripts/install-deps)."""
import unittest

from buildbot.plugins import steps

from cleanroom_buildbot import master
from cleanroom_buildbot import plan as plans
from tests.fixtures import plan

PLAN_COMMAND = ["cleanroom", "plan", "recipes/", "--out", "out", "--verify", "--json"]


def configure(**kw):
    c = {}
    release = master.configure(c, plan(), PLAN_COMMAND, ["w1", "w2"],
                               steps.Git(repourl="file:///release", mode="incremental"), "/srv/store", **kw)
    return c, release


def step_factories(builder):
    return [(f.factory.__name__, f.kwargs) for f in builder.factory.steps]


class MasterTest(unittest.TestCase):
    def test_one_builder_and_triggerable_per_node_on_every_worker(self):
        c, release = configure()
        builders = {b.name: b for b in c["builders"]}
        self.assertEqual(sorted(builders), sorted(["wh", "app", "tool", "verify-app", release]))
        for b in builders.values():
            self.assertEqual(b.workernames, ["w1", "w2"])
        triggerables = {s.name: s.builderNames for s in c["schedulers"]}
        self.assertEqual(triggerables["cleanroom-verify-app"], ["verify-app"])

    def test_node_builds_hold_a_worker_lock_and_the_release_does_not(self):
        c, release = configure(builds_per_worker=2)
        for b in c["builders"]:
            if b.name == release:
                self.assertEqual(b.locks, [])
            else:
                self.assertEqual(len(b.locks), 1)
                self.assertEqual(b.locks[0].lockid.maxCount, 2)

    def test_the_release_triggers_the_plan_wave_by_wave_and_waits(self):
        c, release = configure()
        b = next(b for b in c["builders"] if b.name == release)
        triggers = [kw for cls, kw in step_factories(b) if cls == "Trigger"]
        self.assertEqual([t["schedulerNames"] for t in triggers],
                         [["cleanroom-wh"], ["cleanroom-app", "cleanroom-tool"], ["cleanroom-verify-app"]])
        for t in triggers:
            self.assertTrue(t["waitForFinish"] and t["haltOnFailure"] and t["updateSourceStamp"])
        names = [kw.get("name") for _, kw in step_factories(b)]
        self.assertLess(names.index("same nodes as configured"), names.index("store plan"))
        self.assertLess(names.index("store plan"), names.index("wave 1 (1 nodes)"))
        shape = [kw for _, kw in step_factories(b) if kw.get("name") == "same nodes as configured"][0]
        self.assertIn(plans.shape_digest(plan()), shape["command"])

    def test_a_stored_node_skips_its_work(self):
        c, _ = configure()
        b = next(b for b in c["builders"] if b.name == "verify-app")
        named = {kw.get("name"): kw for _, kw in step_factories(b)}
        self.assertEqual(named["stored?"]["property"], "stored")
        for name in ("snapshot", "fetch inputs", "verify", "publish"):
            self.assertIs(named[name]["doStepIf"], master._not_stored)
        self.assertEqual(named["verify"]["command"][-3:], ["exec", "--node", "verify-app"])

    def test_the_release_runs_where_the_snapshots_are(self):
        c, release = configure(release_workers=["w1"])
        self.assertEqual(next(b for b in c["builders"] if b.name == release).workernames, ["w1"])
        self.assertEqual(next(b for b in c["builders"] if b.name == "app").workernames, ["w1", "w2"])

    def test_snapshot_sharing_and_collecting_can_be_left_out(self):
        c, release = configure(share_snapshots=False, collect=False)
        b = next(b for b in c["builders"] if b.name == release)
        names = [kw.get("name") for _, kw in step_factories(b)]
        self.assertNotIn("share snapshots", names)
        self.assertNotIn("collect outputs", names)


if __name__ == "__main__":
    unittest.main()
