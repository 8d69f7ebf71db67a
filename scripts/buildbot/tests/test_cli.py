"""cleanroom-artifacts as a worker runs it: through main(), with a fake
cleanroom program where a snapshot is imported."""
import contextlib
import io
import json
import os
import stat
import tempfile
import unittest

from cleanroom_buildbot import cli
from tests.fixtures import H, plan, node, write_outputs, write_plan

# Holds the snapshot ids listed in $FAKE_HELD; `import` adds the id written in the archive.
FAKE_CLEANROOM = """#!/bin/sh
set -eu
case "$1 $2" in
  "snapshot list") printf '['; sep=; for id in $(cat "$FAKE_HELD"); do printf '%s{"id": "%s"}' "$sep" "$id"; sep=,; done; echo ']' ;;
  "snapshot import") id=$(cat "$3"); echo "$id" >> "$FAKE_HELD"; echo "{\\"id\\": \\"$id\\"}" ;;
  "snapshot export") echo "$3" > "$4" ;;
  *) exit 9 ;;
esac
"""


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.cwd = os.getcwd()
        os.chdir(self.tmp.name)
        self.store = os.path.join(self.tmp.name, "store")
        write_plan(self.tmp.name)
        self.fake = os.path.join(self.tmp.name, "cleanroom")
        with open(self.fake, "w", encoding="utf-8") as f:
            f.write(FAKE_CLEANROOM)
        os.chmod(self.fake, stat.S_IRWXU)
        self.held = os.path.join(self.tmp.name, "held")
        os.environ["FAKE_HELD"] = self.held

    def tearDown(self):
        os.chdir(self.cwd)
        self.tmp.cleanup()

    def run_cli(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(["--store", self.store, *argv])
        return rc, out.getvalue(), err.getvalue()

    def test_a_node_runs_once_then_is_stored(self):
        wh = node(plan(), "wh")
        self.assertEqual(self.run_cli("publish", "--node", "wh")[0], 1)  # nothing built yet
        self.assertEqual(self.run_cli("has", "--node", "wh")[1], "missing\n")
        write_outputs("out", wh)
        self.assertEqual(self.run_cli("publish", "--node", "wh")[0], 0)
        self.assertEqual(self.run_cli("has", "--node", "wh")[1], "stored\n")
        for name in wh["outputs"]:
            os.unlink(os.path.join("out", name))
        rc, out, _ = self.run_cli("fetch", "--node", "app")
        self.assertEqual(rc, 0)
        self.assertEqual(sorted(os.listdir("out")), sorted(wh["outputs"]))

    def test_fetching_what_the_store_lacks_fails_in_one_line(self):
        self.run_cli("put-plan", "plan.json")  # creates the store
        rc, _, err = self.run_cli("fetch", "--node", "app")
        self.assertEqual(rc, 1)
        self.assertEqual(err.count("\n"), 1)
        self.assertIn("holds no outputs of node 'wh'", err)

    def test_a_mistyped_store_is_not_an_empty_one(self):
        rc, _, err = self.run_cli("has", "--node", "wh")
        self.assertEqual(rc, 3)
        self.assertIn("not an artifact store", err)

    def test_a_bad_plan_is_a_usage_error(self):
        with open("plan.json", "w", encoding="utf-8") as f:
            f.write("not json")
        rc, _, err = self.run_cli("has", "--node", "wh")
        self.assertEqual(rc, 2)
        self.assertIn("plan.json: not JSON", err)
        self.assertEqual(self.run_cli("put-plan", "plan.json")[0], 2)

    def test_plans_travel_by_sha256(self):
        rc, digest, _ = self.run_cli("put-plan", "plan.json")
        self.assertEqual(rc, 0)
        os.unlink("plan.json")
        self.assertEqual(self.run_cli("get-plan", digest.strip(), "plan.json")[0], 0)
        with open("plan.json", encoding="utf-8") as f:
            self.assertEqual(json.load(f), plan())
        self.assertEqual(self.run_cli("get-plan", "0" * 64, "plan.json")[0], 1)

    def test_check_shape(self):
        from cleanroom_buildbot import plan as plans
        self.assertEqual(self.run_cli("check-shape", "--expect", plans.shape_digest(plan()))[0], 0)
        rc, _, err = self.run_cli("check-shape", "--expect", "0" * 64)
        self.assertEqual(rc, 2)
        self.assertIn("reconfigure the master", err)

    def test_a_worker_without_the_snapshot_imports_it_from_the_store_and_checks_its_id(self):
        open(self.held, "w").close()
        self.run_cli("put-plan", "plan.json")
        rc, _, err = self.run_cli("snapshot", "--node", "app", "--cleanroom", self.fake)
        self.assertEqual(rc, 1)
        self.assertIn("share-snapshots", err)
        # Where the plan was made, the snapshot is held and exported once.
        with open(self.held, "w", encoding="utf-8") as f:
            f.write(H["f"] + "\n")
        self.assertEqual(self.run_cli("share-snapshots", "--cleanroom", self.fake)[0], 0)
        self.assertIn("already in", self.run_cli("share-snapshots", "--cleanroom", self.fake)[1])
        open(self.held, "w").close()
        rc, out, _ = self.run_cli("snapshot", "--node", "app", "--cleanroom", self.fake)
        self.assertEqual(rc, 0)
        self.assertIn("imported", out)
        self.assertIn("is here", self.run_cli("snapshot", "--node", "app", "--cleanroom", self.fake)[1])

    def test_an_archive_that_imports_as_another_snapshot_is_refused(self):
        open(self.held, "w").close()
        self.run_cli("put-plan", "plan.json")
        with open(os.path.join(self.store, "snapshots", H["f"] + ".tar.zst"), "w", encoding="utf-8") as f:
            f.write(H["e"])
        rc, _, err = self.run_cli("snapshot", "--node", "app", "--cleanroom", self.fake)
        self.assertEqual(rc, 1)
        self.assertIn("the plan needs " + H["f"], err)

    def test_exec_runs_the_nodes_command(self):
        p = plan()
        node(p, "wh")["command"] = ["cleanroom", "build", "x"]
        write_plan(self.tmp.name, p)
        pid = os.fork()
        if pid == 0:  # exec replaces the process: run it in a child
            os.environ["PATH"] = self.tmp.name
            os.environ["FAKE_HELD"] = self.held
            with contextlib.redirect_stdout(io.StringIO()):
                cli.main(["--store", self.store, "exec", "--node", "wh"])
            os._exit(99)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 9)  # the fake's answer to `build`


if __name__ == "__main__":
    unittest.main()
