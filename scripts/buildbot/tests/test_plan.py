import json
import unittest

from cleanroom_buildbot import plan as plans
from tests.fixtures import plan, node


class PlanTest(unittest.TestCase):
    def test_waves_put_a_node_after_all_it_depends_on(self):
        self.assertEqual(plans.waves(plan()), [["wh"], ["app", "tool"], ["verify-app"]])

    def test_a_good_plan_parses(self):
        self.assertEqual(plans.parse(json.dumps(plan()))["nodes"][0]["id"], "wh")

    def refused(self, p, message):
        with self.assertRaises(plans.PlanError) as e:
            plans.parse(json.dumps(p) if not isinstance(p, str) else p, "plan.json")
        self.assertIn(message, str(e.exception))
        self.assertNotIn("\n", str(e.exception))

    def test_bad_plans_are_refused_in_one_line(self):
        self.refused("{", "not JSON")
        self.refused("[]", "not a JSON object")
        p = plan(); p["format_version"] = 2
        self.refused(p, "plan format 2, this reads 3")
        p = plan(); node(p, "app")["depends_on"] = ["nothing"]
        self.refused(p, "depends on 'nothing', which is not in the plan")
        p = plan(); node(p, "wh")["depends_on"] = ["verify-app"]
        self.refused(p, "cycle")
        p = plan(); node(p, "app")["outputs"] = ["../../etc/passwd"]
        self.refused(p, "not a file name")
        p = plan(); node(p, "app")["input_hash"] = "../x"
        self.refused(p, "not 64 hex digits")
        p = plan(); node(p, "app")["command"] = ["rm", "-rf", "/"]
        self.refused(p, "does not start with cleanroom")
        p = plan(); p["nodes"].append(plan()["nodes"][0])
        self.refused(p, "appears twice")
        p = plan(); node(p, "app")["snapshot"]["id"] = "../../etc/passwd"
        self.refused(p, "not 64 hex digits")
        p = plan(); del node(p, "app")["snapshot"]
        self.refused(p, "names no snapshot")
        p = plan(); node(p, "app")["id"] = "App/../x"
        self.refused(p, "not a package name")

    def test_the_shape_ignores_input_hashes_but_not_edges(self):
        a, b = plan(), plan()
        node(b, "app")["input_hash"] = "9" * 64
        self.assertEqual(plans.shape_digest(a), plans.shape_digest(b))
        node(b, "tool")["depends_on"] = []
        self.assertNotEqual(plans.shape_digest(a), plans.shape_digest(b))

    def test_an_unknown_node_names_the_likely_cause(self):
        with self.assertRaises(plans.PlanError) as e:
            plans.node(plan(), "gone")
        self.assertIn("'gone'", str(e.exception))


if __name__ == "__main__":
    unittest.main()
