"""scripts/plan-to-gitlab reads the plan as the buildbot integration does."""
import json
import os
import subprocess
import unittest

from tests.fixtures import plan

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "plan-to-gitlab")


def run(text):
    return subprocess.run([SCRIPT], input=text, capture_output=True, text=True)


class PlanToGitlabTest(unittest.TestCase):
    def test_a_job_per_node_needs_from_edges_no_artifacts_for_verify(self):
        r = run(json.dumps(plan()))
        self.assertEqual(r.returncode, 0, r.stderr)
        jobs = json.loads(r.stdout)
        self.assertEqual(jobs["verify-app"]["needs"], [{"job": "wh", "artifacts": True}, {"job": "app", "artifacts": True}])
        self.assertNotIn("artifacts", jobs["verify-app"])
        self.assertEqual(jobs["app"]["artifacts"]["paths"], ["out/app_1_amd64.deb"])

    def test_what_is_not_a_plan_is_refused_in_one_line(self):
        bad = plan()
        bad["nodes"][1]["depends_on"] = ["missing"]
        for text in ("", "[1]", json.dumps({"format_version": 2}), json.dumps(bad)):
            r = run(text)
            self.assertEqual(r.returncode, 2, text)
            self.assertEqual(r.stdout, "")
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
            self.assertTrue(r.stderr.startswith("plan-to-gitlab: "), r.stderr)


if __name__ == "__main__":
    unittest.main()
